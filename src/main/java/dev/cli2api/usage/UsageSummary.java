package dev.cli2api.usage;

import java.util.List;

/** The aggregation of {@code GET /v1/usage}: one row per bucket (most calls first, then by bucket) and the totals. */
public record UsageSummary(List<Row> rows, Totals totals) {

    /** One bucket; {@code errors} counts calls whose status is not 2xx. */
    public record Row(String bucket, long calls, long errors, long promptTokens, long completionTokens, long bytesOut) {
    }

    public record Totals(long calls, long errors, long promptTokens, long completionTokens, long bytesOut) {

        static Totals of(List<Row> rows) {
            return new Totals(rows.stream().mapToLong(Row::calls).sum(), rows.stream().mapToLong(Row::errors).sum(),
                    rows.stream().mapToLong(Row::promptTokens).sum(),
                    rows.stream().mapToLong(Row::completionTokens).sum(), rows.stream().mapToLong(Row::bytesOut).sum());
        }
    }
}
