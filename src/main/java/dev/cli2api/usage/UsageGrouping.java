package dev.cli2api.usage;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The {@code group_by} values of {@code GET /v1/usage} and the SQL expression of each bucket. The expressions are
 * fixed text chosen from this enum, never built from input, so a hostile {@code group_by} cannot reach SQL.
 */
public enum UsageGrouping {

    MODEL("model", "CASE WHEN model = '' THEN '(unknown)' ELSE model END"),
    ENDPOINT("endpoint", "endpoint"),
    STATUS("status", "status::text"),
    DAY("day", "to_char(to_timestamp(ts) AT TIME ZONE 'UTC', 'YYYY-MM-DD')"),
    HOUR("hour", "to_char(to_timestamp(ts) AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:00')"),
    /** Beyond the reference: the fingerprint of the API key (12 hex characters), {@code (none)} without a key. */
    API_KEY("api_key", "CASE WHEN api_key_hash = '' THEN '(none)' ELSE api_key_hash END");

    /** {@code model|endpoint|status|day|hour|api_key}, for the error message. */
    static final String CHOICES = Arrays.stream(values()).map(g -> g.wire).collect(Collectors.joining("|"));

    private final String wire;
    private final String bucketSql;

    UsageGrouping(String wire, String bucketSql) {
        this.wire = wire;
        this.bucketSql = bucketSql;
    }

    public String wire() {
        return wire;
    }

    String bucketSql() {
        return bucketSql;
    }

    /** The grouping named {@code value} exactly, if any. */
    public static Optional<UsageGrouping> parse(String value) {
        return Arrays.stream(values()).filter(g -> g.wire.equals(value)).findFirst();
    }

    /** As the store does: an unknown name falls back to {@link #MODEL} (the route validates first). */
    static UsageGrouping orModel(String value) {
        return parse(value).orElse(MODEL);
    }
}
