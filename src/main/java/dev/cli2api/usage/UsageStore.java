package dev.cli2api.usage;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * The {@code usage_records} table: batched inserts, the aggregation behind {@code GET /v1/usage} and the retention
 * delete. Plain JDBC on purpose: the writes are batches of rows and the reads are {@code GROUP BY} reports, neither
 * of which gains from an entity.
 */
@ApplicationScoped
public class UsageStore {

    /** Key of the advisory lock that lets one replica at a time run the retention delete. */
    static final long RETENTION_LOCK = 0x636c693275736167L;
    /** Each insert batch gets this long (spec §6.3: 5 s per insert). */
    private static final int INSERT_TIMEOUT_SECONDS = 5;

    private static final String INSERT = "INSERT INTO usage_records (ts, endpoint, model, status, duration_ms, bytes_out, "
            + "prompt_tokens, completion_tokens, request_id, api_key_hash) SELECT * FROM unnest(?::int8[], ?::text[], "
            + "?::text[], ?::int4[], ?::int8[], ?::int8[], ?::int8[], ?::int8[], ?::text[], ?::text[])";

    private final DataSource dataSource;

    public UsageStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * The longest model name stored, in characters: the index on {@code (ts, model)} refuses entries over 2,704 bytes,
     * and a client's request may name a model of any length (8,000 characters in a streamed chat request failed the
     * insert of its whole batch). Real model names are a few dozen characters; longer ones are stored cut to this.
     */
    static final int MAX_MODEL = 256;

    /** {@code model} as it is stored: {@link #storable}, cut to {@link #MAX_MODEL} characters (whole code points). */
    static String storedModel(String model) {
        String text = storable(model);
        if (text == null || text.length() <= MAX_MODEL) {
            return text;
        }
        int end = Character.isHighSurrogate(text.charAt(MAX_MODEL - 1)) ? MAX_MODEL - 1 : MAX_MODEL;
        return text.substring(0, end);
    }

    /**
     * {@code text} with any U+0000 (which PostgreSQL's text cannot hold) replaced by U+FFFD: a model name is the
     * client's own text, and one such record would otherwise fail the whole batch it is written with.
     */
    private static String storable(String text) {
        return text == null ? null : text.replace('\0', '\uFFFD');
    }

    /**
     * Inserts {@code records} with one statement (one round trip, one commit): the columns travel as ten arrays that
     * {@code unnest} turns back into rows, so the statement text is the same for every batch size and the server
     * parses and plans it once per connection instead of once per batch.
     */
    public void insert(List<UsageRecord> records) throws SQLException {
        if (records.isEmpty()) {
            return;
        }
        int n = records.size();
        Long[] ts = new Long[n], durations = new Long[n], bytes = new Long[n], prompts = new Long[n],
                completions = new Long[n];
        Integer[] statuses = new Integer[n];
        String[] endpoints = new String[n], models = new String[n], requestIds = new String[n], keys = new String[n];
        for (int i = 0; i < n; i++) {
            UsageRecord r = records.get(i);
            ts[i] = r.timestamp();
            endpoints[i] = storable(r.endpoint());
            models[i] = storedModel(r.model());
            statuses[i] = r.status();
            durations[i] = r.durationMs();
            bytes[i] = r.bytesOut();
            prompts[i] = r.promptTokens();
            completions[i] = r.completionTokens();
            requestIds[i] = storable(r.requestId());
            keys[i] = storable(r.apiKeyHash());
        }
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(INSERT)) {
            ps.setQueryTimeout(INSERT_TIMEOUT_SECONDS);
            ps.setArray(1, c.createArrayOf("int8", ts));
            ps.setArray(2, c.createArrayOf("text", endpoints));
            ps.setArray(3, c.createArrayOf("text", models));
            ps.setArray(4, c.createArrayOf("int4", statuses));
            ps.setArray(5, c.createArrayOf("int8", durations));
            ps.setArray(6, c.createArrayOf("int8", bytes));
            ps.setArray(7, c.createArrayOf("int8", prompts));
            ps.setArray(8, c.createArrayOf("int8", completions));
            ps.setArray(9, c.createArrayOf("text", requestIds));
            ps.setArray(10, c.createArrayOf("text", keys));
            ps.executeUpdate();
        }
    }

    /**
     * Calls with {@code from ≤ ts < to} (unix seconds), optionally only of one model and/or endpoint, grouped by
     * {@code grouping}; rows ordered by calls descending, then bucket (byte order) ascending.
     */
    public UsageSummary aggregate(long from, long to, UsageGrouping grouping, Optional<String> model,
            Optional<String> endpoint) throws SQLException {
        StringBuilder where = new StringBuilder(" WHERE ts >= ? AND ts < ?");
        List<Object> params = new ArrayList<>(List.of(from, to));
        // compared in their stored form: a filter holding U+0000 finds the records stored for it (and does not fail)
        model.ifPresent(m -> {
            where.append(" AND model = ?");
            params.add(storedModel(m));
        });
        endpoint.ifPresent(e -> {
            where.append(" AND endpoint = ?");
            params.add(storable(e));
        });
        String sql = "SELECT bucket, calls, errors, prompt_tokens, completion_tokens, bytes_out FROM ("
                + "SELECT " + grouping.bucketSql() + " AS bucket, COUNT(*) AS calls, "
                + "SUM(CASE WHEN status / 100 <> 2 THEN 1 ELSE 0 END) AS errors, "
                + "SUM(prompt_tokens) AS prompt_tokens, SUM(completion_tokens) AS completion_tokens, "
                + "SUM(bytes_out) AS bytes_out FROM usage_records" + where + " GROUP BY 1) buckets "
                + "ORDER BY calls DESC, bucket COLLATE \"C\" ASC";
        List<UsageSummary.Row> rows = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.size(); i++) {
                ps.setObject(i + 1, params.get(i));
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(new UsageSummary.Row(rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getLong(4),
                            rs.getLong(5), rs.getLong(6)));
                }
            }
        }
        return new UsageSummary(rows, UsageSummary.Totals.of(rows));
    }

    /**
     * Deletes records older than {@code cutoff} (unix seconds), unless another replica holds the retention lock
     * right now (then it is that replica's sweep). Returns the number deleted.
     */
    public int deleteOlderThan(long cutoff) throws SQLException {
        String sql = "WITH sweeper AS (SELECT pg_try_advisory_xact_lock(?) AS locked) DELETE FROM usage_records "
                + "USING sweeper WHERE sweeper.locked AND ts < ?";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, RETENTION_LOCK);
            ps.setLong(2, cutoff);
            return ps.executeUpdate();
        }
    }
}
