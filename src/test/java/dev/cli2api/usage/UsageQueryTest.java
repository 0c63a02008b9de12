package dev.cli2api.usage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.cli2api.api.ApiException;

class UsageQueryTest {

    private static final Instant NOW = Instant.parse("2026-06-29T03:00:00Z");

    @Test
    void defaultsToTheLast24HoursGroupedByModel() {
        UsageQuery q = UsageQuery.parse(null, "", null, "", null, NOW);

        assertEquals(Instant.parse("2026-06-28T03:00:00Z"), q.from());
        assertEquals(NOW, q.to());
        assertEquals(UsageGrouping.MODEL, q.grouping());
        assertEquals(Optional.empty(), q.model());
        assertEquals(Optional.empty(), q.endpoint());
    }

    @Test
    void acceptsUnixSecondsIncludingNegativeAndRfc3339WithOffsets() {
        UsageQuery q = UsageQuery.parse("-86400", "2026-06-29T05:00:00+02:00", "hour", "gpt-5", "/v1/models", NOW);

        assertEquals(Instant.ofEpochSecond(-86400), q.from());
        assertEquals(NOW, q.to());
        assertEquals(UsageGrouping.HOUR, q.grouping());
        assertEquals(Optional.of("gpt-5"), q.model());
        assertEquals(Optional.of("/v1/models"), q.endpoint());
    }

    @Test
    void fractionalBoundsKeepTheHalfOpenWindowOnWholeSeconds() {
        UsageQuery q = UsageQuery.parse("1970-01-01T00:00:10.5Z", "1970-01-01T00:00:20.5Z", null, null, null, NOW);

        assertEquals(11, q.fromSeconds(), "ts >= 10.5 means ts >= 11");
        assertEquals(21, q.toSeconds(), "ts < 20.5 means ts < 21");
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
            "yesterday;;;from must be unix seconds or RFC3339",
            "10;soon;;to must be unix seconds or RFC3339",
            "2026-06-28;;;from must be unix seconds or RFC3339",
            "20;10;;from must be strictly before to",
            "10;10;;from must be strictly before to",
            "10;20;week;group_by must be one of model|endpoint|status|day|hour|api_key",
            "bad;10;week;from must be unix seconds or RFC3339",
            "20;10;week;from must be strictly before to" })
    void rejectsBadParametersInTheSpecsOrder(String from, String to, String groupBy, String message) {
        ApiException e = assertThrows(ApiException.class, () -> UsageQuery.parse(from, to, groupBy, null, null, NOW));

        assertEquals(400, e.status());
        assertEquals("invalid_request", e.type());
        assertEquals(message, e.getMessage());
    }

    @Test
    void unknownGroupingFallsBackToModelInTheStore() {
        assertEquals(UsageGrouping.MODEL, UsageGrouping.orModel("model; DROP TABLE usage_records"));
        assertEquals(UsageGrouping.DAY, UsageGrouping.orModel("day"));
    }
}
