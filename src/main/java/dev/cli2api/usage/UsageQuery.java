package dev.cli2api.usage;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Optional;

import dev.cli2api.api.ApiException;

/**
 * The validated parameters of {@code GET /v1/usage} (spec §1.18): a window {@code [from, to)} in unix seconds
 * (defaults: the last 24 hours), a grouping and optional exact filters. Checked in the spec's order.
 */
public record UsageQuery(Instant from, Instant to, UsageGrouping grouping, Optional<String> model,
        Optional<String> endpoint) {

    private static final long DAY_SECONDS = 24 * 60 * 60;

    /** Parses the raw query parameters (null or empty = absent) at {@code now}. */
    public static UsageQuery parse(String from, String to, String groupBy, String model, String endpoint,
            Instant now) {
        Instant start = present(from).map(v -> time(v, "from")).orElse(now.minusSeconds(DAY_SECONDS));
        Instant end = present(to).map(v -> time(v, "to")).orElse(now);
        if (!start.isBefore(end)) {
            throw invalid("from must be strictly before to");
        }
        UsageGrouping grouping = present(groupBy).map(g -> UsageGrouping.parse(g)
                .orElseThrow(() -> invalid("group_by must be one of " + UsageGrouping.CHOICES)))
                .orElse(UsageGrouping.MODEL);
        return new UsageQuery(start, end, grouping, present(model), present(endpoint));
    }

    /** First whole second at or after {@code from}: {@code ts >= from} for integer {@code ts}. */
    long fromSeconds() {
        return ceilSeconds(from);
    }

    /** {@code ts < to} for integer {@code ts}. */
    long toSeconds() {
        return ceilSeconds(to);
    }

    private static long ceilSeconds(Instant t) {
        return t.getNano() == 0 ? t.getEpochSecond() : t.getEpochSecond() + 1;
    }

    /** Unix seconds (an integer, negative allowed) or RFC 3339. */
    private static Instant time(String value, String name) {
        String v = value.trim();
        try {
            if (v.matches("-?\\d{1,18}")) {
                return Instant.ofEpochSecond(Long.parseLong(v));
            }
            return OffsetDateTime.parse(v).toInstant();
        } catch (NumberFormatException | java.time.DateTimeException e) {
            throw invalid(name + " must be unix seconds or RFC3339");
        }
    }

    private static Optional<String> present(String value) {
        return value == null || value.isEmpty() ? Optional.empty() : Optional.of(value);
    }

    private static ApiException invalid(String message) {
        return new ApiException(400, "invalid_request", message);
    }
}
