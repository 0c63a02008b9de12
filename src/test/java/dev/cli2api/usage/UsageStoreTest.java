package dev.cli2api.usage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;

import javax.sql.DataSource;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;

/** The store contract of spec §8.9 on the real database, in a window of 1970 no live call falls into. */
@QuarkusTest
class UsageStoreTest {

    private static final long T = 1_000_000;

    @Inject
    UsageStore store;

    @Inject
    DataSource dataSource;

    @BeforeEach
    void clean() throws Exception {
        try (var c = dataSource.getConnection(); var s = c.createStatement()) {
            s.executeUpdate("DELETE FROM usage_records WHERE ts < 2000000");
        }
    }

    private static UsageRecord at(long ts, String endpoint, String model, int status, long prompt, long completion,
            long bytes) {
        return new UsageRecord(ts, endpoint, model, status, 5, bytes, prompt, completion, "req", "abcdef012345");
    }

    private void fourCalls() throws Exception {
        store.insert(List.of(
                at(T, "/v1/chat/completions", "openai/gpt-5.5", 200, 100, 10, 1000),
                at(T + 1, "/v1/chat/completions", "openai/gpt-5.5", 502, 30, 0, 20),
                at(T + 2, "/v1/chat/completions", "deepseek-v4-flash", 200, 150, 15, 500),
                at(T + 3, "/v1/messages", "deepseek-v4-flash", 200, 50, 5, 100)));
    }

    @Test
    void groupsByModelWithTiesInBucketOrderAndTotals() throws Exception {
        fourCalls();

        UsageSummary s = store.aggregate(T, T + 10, UsageGrouping.MODEL, Optional.empty(), Optional.empty());

        assertEquals(List.of(
                new UsageSummary.Row("deepseek-v4-flash", 2, 0, 200, 20, 600),
                new UsageSummary.Row("openai/gpt-5.5", 2, 1, 130, 10, 1020)), s.rows());
        assertEquals(new UsageSummary.Totals(4, 1, 330, 30, 1620), s.totals());
    }

    @Test
    void filtersAreExactAndTotalsFollowThem() throws Exception {
        fourCalls();

        UsageSummary byModel = store.aggregate(T, T + 10, UsageGrouping.ENDPOINT, Optional.of("deepseek-v4-flash"),
                Optional.empty());
        UsageSummary byEndpoint = store.aggregate(T, T + 10, UsageGrouping.MODEL, Optional.empty(),
                Optional.of("/v1/messages"));

        assertEquals(2, byModel.rows().size());
        assertEquals(2, byModel.totals().calls());
        assertEquals(List.of(new UsageSummary.Row("deepseek-v4-flash", 1, 0, 50, 5, 100)), byEndpoint.rows());
        assertEquals(0, store.aggregate(T, T + 10, UsageGrouping.MODEL, Optional.of("deepseek"), Optional.empty())
                .totals().calls());
    }

    @Test
    void statusBucketsDaysHoursUnknownModelsAndKeys() throws Exception {
        store.insert(List.of(at(T, "/v1/x", "", 200, 0, 0, 0), at(T, "/v1/x", "", 200, 0, 0, 0),
                at(T + 3600, "/v1/x", "", 502, 0, 0, 0), at(T + 86400, "/v1/x", "", 413, 0, 0, 0)));

        assertEquals(List.of("200", "413", "502"), buckets(UsageGrouping.STATUS));
        assertEquals(List.of("1970-01-12", "1970-01-13"), buckets(UsageGrouping.DAY));
        assertEquals(List.of("1970-01-12T13:00", "1970-01-12T14:00", "1970-01-13T13:00"), buckets(UsageGrouping.HOUR));
        assertEquals(List.of("(unknown)"), buckets(UsageGrouping.MODEL));
        assertEquals(List.of("abcdef012345"), buckets(UsageGrouping.API_KEY));
        assertEquals(3, store.aggregate(T, T + 100_000, UsageGrouping.STATUS, Optional.empty(), Optional.empty())
                .totals().errors() + 1, "413 and 502 are errors");
    }

    private List<String> buckets(UsageGrouping grouping) throws Exception {
        return store.aggregate(T, T + 100_000, grouping, Optional.empty(), Optional.empty()).rows().stream()
                .map(UsageSummary.Row::bucket).toList();
    }

    @Test
    void aModelNameHoldingANulCharacterIsStoredWithoutLosingItsBatch() throws Exception {
        // a regression: PostgreSQL refused the NUL, which failed the insert of every record batched with it
        store.insert(List.of(at(T, "/v1/chat/completions", "gpt\0x", 200, 1, 2, 3),
                at(T, "/v1/chat/completions", "deepseek-v4-flash", 200, 1, 2, 3)));

        assertEquals(List.of("deepseek-v4-flash", "gpt\uFFFDx"), buckets(UsageGrouping.MODEL));
    }

    @Test
    void aModelNameTooLongForTheIndexIsStoredCutWithoutLosingItsBatch() throws Exception {
        // a regression: a streamed chat request naming a model of 8,000 random characters failed the insert of its
        // whole batch ("index row size … exceeds btree version 4 maximum 2704"), losing every record in it
        byte[] noise = new byte[6000];
        new java.util.Random(7).nextBytes(noise);
        String huge = java.util.Base64.getEncoder().encodeToString(noise);
        String emoji = "m".repeat(UsageStore.MAX_MODEL - 1) + "\uD83D\uDE00tail";
        store.insert(List.of(at(T, "/v1/chat/completions", huge, 200, 1, 2, 3),
                at(T, "/v1/chat/completions", emoji, 200, 1, 2, 3),
                at(T, "/v1/chat/completions", "deepseek-v4-flash", 200, 1, 2, 3)));

        assertEquals(List.of(huge.substring(0, UsageStore.MAX_MODEL), "deepseek-v4-flash",
                "m".repeat(UsageStore.MAX_MODEL - 1)).stream().sorted().toList(),
                buckets(UsageGrouping.MODEL).stream().sorted().toList());
        assertEquals(1, store.aggregate(T, T + 10, UsageGrouping.MODEL, Optional.of(huge), Optional.empty())
                .totals().calls(), "the filter is compared in the stored form");
    }

    @Test
    void whatTheDatabaseAnswersWhenItCannotTakeABatchIsClassifiedAsTheWriterExpects() throws Exception {
        List<UsageRecord> batch = List.of(at(T, "/v1/models", "", 200, 0, 0, 1));

        // nothing listens: what a database restart looks like to a new connection (a pgjdbc PSQLException, 08001)
        org.postgresql.ds.PGSimpleDataSource nowhere = new org.postgresql.ds.PGSimpleDataSource();
        nowhere.setServerNames(new String[] {"127.0.0.1"});
        nowhere.setPortNumbers(new int[] {freePort()});
        nowhere.setConnectTimeout(5);
        assertEquals(UsageBuffer.Failure.RETRY, failureOf(() -> new UsageStore(nowhere).insert(batch)));

        // a statement the server ended (a restart or a failover ends every backend: 57P01)
        try (var victim = dataSource.getConnection()) {
            int pid;
            try (var s = victim.createStatement(); var rs = s.executeQuery("SELECT pg_backend_pid()")) {
                rs.next();
                pid = rs.getInt(1);
            }
            var running = java.util.concurrent.CompletableFuture.supplyAsync(() -> failureOf(() -> {
                try (var s = victim.createStatement()) {
                    s.execute("SELECT pg_sleep(60)");
                }
            }));
            try (var c = dataSource.getConnection(); var ps = c.prepareStatement(
                    "SELECT pg_terminate_backend(pid, 10000) FROM pg_stat_activity WHERE pid = ? AND state = 'active'")) {
                ps.setInt(1, pid);
                org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).until(() -> {
                    try (var rs = ps.executeQuery()) {
                        return rs.next();
                    }
                });
            }
            assertEquals(UsageBuffer.Failure.RETRY, running.get(30, java.util.concurrent.TimeUnit.SECONDS));
        }

        // a record the table's index cannot hold: only that record is given up
        assertEquals(UsageBuffer.Failure.ISOLATE, failureOf(() -> {
            try (var c = dataSource.getConnection(); var ps = c.prepareStatement(
                    "INSERT INTO usage_records (ts, endpoint, model) VALUES (?, 'x', ?)")) {
                ps.setLong(1, T);
                byte[] noise = new byte[6000]; // random, so the index cannot compress it below its limit
                new java.util.Random(11).nextBytes(noise);
                ps.setString(2, java.util.Base64.getEncoder().encodeToString(noise));
                ps.executeUpdate();
            }
        }));

        // the schema is not what this code expects: trying again would fail the same way
        assertEquals(UsageBuffer.Failure.LOSE, failureOf(() -> {
            try (var c = dataSource.getConnection(); var s = c.createStatement()) {
                s.executeUpdate("INSERT INTO usage_records (no_such_column) VALUES (1)");
            }
        }));
    }

    private interface Call {
        void run() throws Exception;
    }

    private static UsageBuffer.Failure failureOf(Call call) {
        try {
            call.run();
        } catch (Exception e) {
            return UsageBuffer.classify(e);
        }
        throw new AssertionError("the call did not fail");
    }

    private static int freePort() throws java.io.IOException {
        try (var socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Test
    void theWindowAndTheRetentionSweepAreServedByTheTsModelIndex() throws Exception {
        // usage_records has one index led by ts (V4 dropped the plain (ts) one): the report window, with or without a
        // model, and the sweep must still find their rows through it rather than by reading the whole table
        for (String query : List.of("SELECT count(*) FROM usage_records WHERE ts >= 1 AND ts < 2",
                "SELECT count(*) FROM usage_records WHERE ts >= 1 AND ts < 2 AND model = 'm'",
                "DELETE FROM usage_records WHERE ts < 1")) {
            try (var c = dataSource.getConnection(); var s = c.createStatement()) {
                c.setAutoCommit(false);
                s.execute("SET LOCAL enable_seqscan = off");
                StringBuilder plan = new StringBuilder();
                try (var rs = s.executeQuery("EXPLAIN " + query)) {
                    while (rs.next()) {
                        plan.append(rs.getString(1)).append('\n');
                    }
                }
                c.rollback();
                assertTrue(plan.toString().contains("usage_records_ts_model_idx"), query + ":\n" + plan);
                assertFalse(plan.toString().contains("Seq Scan"), query + ":\n" + plan);
            }
        }
    }

    @Test
    void aFilterHoldingANulCharacterFindsWhatWasStoredForIt() throws Exception {
        // a regression: the filter went to PostgreSQL as it was, which refused the query (GET /v1/usage?model=%00: 500)
        store.insert(List.of(at(T, "/v1/chat/completions", "gpt\0x", 200, 1, 2, 3),
                at(T, "/v1/chat/completions", "deepseek-v4-flash", 200, 1, 2, 3)));

        assertEquals(1, store.aggregate(T, T + 10, UsageGrouping.MODEL, Optional.of("gpt\0x"), Optional.empty())
                .totals().calls());
        assertEquals(0, store.aggregate(T, T + 10, UsageGrouping.MODEL, Optional.empty(), Optional.of("/v1/\0"))
                .totals().calls());
    }

    @Test
    void theWindowIsHalfOpenAndEmptyResultsHaveNoRows() throws Exception {
        store.insert(List.of(at(T - 7200, "/v1/x", "m", 200, 0, 0, 0), at(T, "/v1/x", "m", 200, 0, 0, 0),
                at(T + 3600, "/v1/x", "m", 200, 0, 0, 0)));

        assertEquals(1, store.aggregate(T - 3600, T + 3600, UsageGrouping.MODEL, Optional.empty(), Optional.empty())
                .totals().calls(), "2 h old excluded from a 1 h window; the upper bound excluded");
        assertEquals(List.of(), store.aggregate(10, 20, UsageGrouping.MODEL, Optional.empty(), Optional.empty())
                .rows());
    }

    @Test
    void deleteOlderThanRemovesExactlyTheOlderRecords() throws Exception {
        store.insert(List.of(at(T - 48 * 3600, "/v1/x", "m", 200, 0, 0, 0), at(T - 3600, "/v1/x", "m", 200, 0, 0, 0)));

        assertEquals(1, store.deleteOlderThan(T - 24 * 3600));
        assertEquals(1, store.aggregate(0, T + 1, UsageGrouping.MODEL, Optional.empty(), Optional.empty()).totals()
                .calls());
    }

    @Test
    void everyFieldOfEveryRecordInABatchIsStored() throws Exception {
        List<UsageRecord> batch = new java.util.ArrayList<>();
        for (int i = 0; i < 700; i++) {
            batch.add(new UsageRecord(T + i, "/v1/videos/video_" + i + "ü'\"", i % 2 == 0 ? "" : "m-" + i, 200 + i,
                    i, 5_000_000_000L + i, 3L * i, 7L * i, "host/req-" + i, "key" + i));
        }
        store.insert(batch);
        store.insert(List.of(at(T + 900, "/v1/x", "solo", 404, 0, 0, 0)));

        List<String> stored = new java.util.ArrayList<>();
        try (var c = dataSource.getConnection(); var s = c.createStatement(); var rs = s.executeQuery(
                "SELECT ts, endpoint, model, status, duration_ms, bytes_out, prompt_tokens, completion_tokens, "
                        + "request_id, api_key_hash FROM usage_records WHERE ts < 2000000 ORDER BY ts")) {
            while (rs.next()) {
                stored.add(rs.getLong(1) + "|" + rs.getString(2) + "|" + rs.getString(3) + "|" + rs.getInt(4) + "|"
                        + rs.getLong(5) + "|" + rs.getLong(6) + "|" + rs.getLong(7) + "|" + rs.getLong(8) + "|"
                        + rs.getString(9) + "|" + rs.getString(10));
            }
        }
        assertEquals(701, stored.size());
        assertEquals((T + 3) + "|/v1/videos/video_3ü'\"|m-3|203|3|5000000003|9|21|host/req-3|key3", stored.get(3));
        assertEquals((T + 4) + "|/v1/videos/video_4ü'\"||204|4|5000000004|12|28|host/req-4|key4", stored.get(4));
        assertEquals((T + 900) + "|/v1/x|solo|404|5|0|0|0|req|abcdef012345", stored.get(700));
    }
}
