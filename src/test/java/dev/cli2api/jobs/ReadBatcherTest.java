package dev.cli2api.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import javax.sql.DataSource;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.impl.ContextInternal;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;
import jakarta.inject.Inject;

/**
 * {@link ReadBatcher} against the real database: reads that arrive together share a query, every reader gets its own
 * row (or none), also through concurrent job GETs, a query the database does not answer in time fails instead of
 * hanging, and a connection the server ended is replaced without failing the next read.
 */
@QuarkusTest
@TestProfile(JobsProfile.class)
class ReadBatcherTest {

    /** Maps a row to its second column: the status, or whatever the test's query puts there. */
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String STATUS = "SELECT local_id, status FROM jobs WHERE local_id = ANY($1)";

    @TestHTTPResource("/")
    URL base;

    @Inject
    Vertx vertx;

    @Inject
    DataSource dataSource;

    @Inject
    JobReads reads;

    @ConfigProperty(name = "quarkus.datasource.jdbc.url")
    String jdbcUrl;

    @ConfigProperty(name = "quarkus.datasource.username")
    Optional<String> username;

    private JobRows rows;
    private String prefix;
    private final List<ReadBatcher<String>> batchers = new ArrayList<>();

    @BeforeEach
    void setUp() {
        rows = new JobRows(dataSource);
        // completed rows: the running worker leaves them alone
        prefix = "video_rb" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
    }

    @AfterEach
    void tearDown() {
        batchers.forEach(ReadBatcher::close);
        rows.deleteCreated();
    }

    private String completed(String suffix, String status) {
        String id = prefix + suffix;
        rows.insert(id, Map.of("status", status, "completed_at", 1L));
        return id;
    }

    private record Loop(ContextInternal context, ReadBatcher<String> batcher) {
    }

    private Loop loop(String sql, long timeoutMillis) {
        ContextInternal context = (ContextInternal) vertx.getOrCreateContext();
        PgConnectOptions options = JobReads.connectOptions(jdbcUrl, username, Optional.empty());
        ReadBatcher<String> batcher = new ReadBatcher<>(vertx, context, options, sql, row -> row.getString(1), 256,
                timeoutMillis);
        batchers.add(batcher);
        return new Loop(context, batcher);
    }

    /** Issues all {@code keys} in one task on the loop (so they arrive together) and waits for every answer. */
    private static List<Optional<String>> readTogether(Loop loop, List<String> keys) throws Exception {
        List<Promise<Optional<String>>> answers = new ArrayList<>();
        keys.forEach(key -> answers.add(Promise.promise()));
        loop.context().runOnContext(ignored -> {
            for (int i = 0; i < keys.size(); i++) {
                loop.batcher().read(keys.get(i), answers.get(i));
            }
        });
        List<Optional<String>> got = new ArrayList<>();
        for (Promise<Optional<String>> answer : answers) {
            got.add(await(answer.future()));
        }
        return got;
    }

    private static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    @Test
    void readsThatArriveTogetherShareOneQueryAndEachGetsItsOwnRow() throws Exception {
        String done = completed("done0000", "completed");
        String failed = completed("fail0000", "failed");
        String missing = prefix + "gone0000";
        Loop loop = loop(STATUS, 10_000);

        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 99; i++) {
            keys.add(List.of(done, failed, missing).get(i % 3));
        }
        List<Optional<String>> got = readTogether(loop, keys);

        for (int i = 0; i < keys.size(); i++) {
            Optional<String> expected = switch (i % 3) {
                case 0 -> Optional.of("completed");
                case 1 -> Optional.of("failed");
                default -> Optional.empty();
            };
            assertEquals(expected, got.get(i), "read " + i + " of " + keys.get(i));
        }
        // the first read goes out alone at once; the 98 that arrive while it is in flight go out together after it
        assertEquals(2, loop.batcher().queries());
    }

    @Test
    void concurrentJobGetsEachAnswerTheirOwnJob() throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            ids.add(completed("http000" + i, i % 2 == 0 ? "completed" : "failed"));
        }
        // 300 GETs in flight at once over many connections (REST Assured is not meant for concurrent use)
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            URI uri = base.toURI().resolve("/v1/videos/" + ids.get(i % ids.size()));
            answers.add(client.sendAsync(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString()));
        }
        for (int i = 0; i < answers.size(); i++) {
            String id = ids.get(i % ids.size());
            HttpResponse<String> answer = answers.get(i).get(30, TimeUnit.SECONDS);
            assertEquals(200, answer.statusCode(), answer.body());
            JsonNode body = JSON.readTree(answer.body());
            assertEquals(id, body.path("id").asText());
            assertEquals(ids.indexOf(id) % 2 == 0 ? "completed" : "failed", body.path("status").asText());
        }
    }

    @Test
    void anIdNoRowCanHoldIsNotFoundWithoutFailingTheReadsBatchedWithIt() throws Exception {
        // a regression: the id went out in the batch, PostgreSQL refused the whole statement (text cannot hold
        // U+0000), and every GET read with it answered 500
        String done = completed("nul00000", "completed");
        ContextInternal context = (ContextInternal) vertx.getOrCreateContext();
        List<Future<Optional<JobView>>> answers = new ArrayList<>();
        CompletableFuture<Void> issued = new CompletableFuture<>();
        context.runOnContext(ignored -> {
            // the first read goes out alone; the next two arrive while it is in flight and would share a query
            answers.add(reads.find(done));
            answers.add(reads.find("video_a\0b"));
            answers.add(reads.find(done));
            issued.complete(null);
        });
        issued.get(30, TimeUnit.SECONDS);

        assertEquals("completed", await(answers.get(0)).orElseThrow().status());
        assertEquals(Optional.empty(), await(answers.get(1)));
        assertEquals("completed", await(answers.get(2)).orElseThrow().status());
    }

    @Test
    void aLoneReadGoesOutAtOnceAndLaterReadsReuseTheConnection() throws Exception {
        String done = completed("lone0000", "completed");
        Loop loop = loop(STATUS, 10_000);

        for (int i = 1; i <= 3; i++) {
            assertEquals(List.of(Optional.of("completed")), readTogether(loop, List.of(done)));
            assertEquals(i, loop.batcher().queries());
        }
    }

    @Test
    void aQueryTheDatabaseDoesNotAnswerInTimeFailsItsReadersAndTheNextReadStillWorks() throws Exception {
        String slow = completed("slow0000", "completed");
        String fast = completed("fast0000", "completed");
        // the slow row's read sleeps 5 s in the database; the batcher gives up after 300 ms
        Loop loop = loop("SELECT local_id, status FROM jobs WHERE local_id = ANY($1) AND CASE WHEN local_id LIKE "
                + "'%slow%' THEN (SELECT true FROM pg_sleep(5)) ELSE true END", 300);

        ExecutionException timedOut = assertThrows(ExecutionException.class,
                () -> readTogether(loop, List.of(slow)));
        assertInstanceOf(TimeoutException.class, timedOut.getCause());
        assertEquals("job read timed out after 300 ms", timedOut.getCause().getMessage());

        // a new connection: the dropped one would still be busy with the sleeping query
        assertEquals(List.of(Optional.of("completed")), readTogether(loop, List.of(fast)));
    }

    @Test
    void aConnectionTheServerEndedIsReplacedWithoutFailingTheNextRead() throws Exception {
        String done = completed("kill0000", "completed");
        // the "status" column is the backend's pid here, to see which connection answered
        Loop loop = loop("SELECT local_id, pg_backend_pid()::text FROM jobs WHERE local_id = ANY($1)", 10_000);
        String first = readTogether(loop, List.of(done)).get(0).orElseThrow();

        terminate(Integer.parseInt(first));

        String second = readTogether(loop, List.of(done)).get(0).orElseThrow();
        assertNotEquals(first, second);
    }

    @Test
    void readsAfterCloseFailAtOnce() throws Exception {
        Loop loop = loop(STATUS, 10_000);
        loop.batcher().close();

        ExecutionException failure = assertThrows(ExecutionException.class,
                () -> readTogether(loop, List.of(prefix + "any00000")));
        assertEquals("the job read path is shut down", failure.getCause().getMessage());
    }

    @Test
    void aLostConnectionIsRecognisedByItsErrorOrItsClose() {
        assertTrue(ReadBatcher.connectionLost(ClosedConnectionException.INSTANCE));
        assertTrue(ReadBatcher.connectionLost(new java.net.SocketException("Connection reset")));
        assertTrue(ReadBatcher.connectionLost(new PgException("terminating connection due to administrator command",
                "FATAL", "57P01", null)));
        assertTrue(ReadBatcher.connectionLost(new PgException("connection failure", "FATAL", "08006", null)));
        assertEquals(false, ReadBatcher.connectionLost(new PgException("relation \"jobs\" does not exist", "ERROR",
                "42P01", null)));
        assertEquals(false, ReadBatcher.connectionLost(new IllegalStateException("closed")));
    }

    /**
     * A fresh deployment's first GETs read an empty, never analyzed {@code jobs} table. The generic plan PostgreSQL
     * caches for a prepared statement after five executions is then a sequential scan, and without an ANALYZE or
     * VACUUM of the table (autovacuum off, or not yet run) it stays as the table grows, so every GET read the whole
     * table. The read connections keep sequential scans off and plan the statement once, generically, on the primary
     * key (each of the two settings alone fails this test).
     */
    @Test
    void readsStillUseThePrimaryKeyWhenTheTableGrewAfterTheConnectionsFirstReads() throws Exception {
        String schema = "rbplan" + prefix.substring("video_rb".length());
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + schema);
            s.execute("CREATE TABLE " + schema + ".jobs (LIKE public.jobs INCLUDING ALL)");
        }
        try {
            ContextInternal context = (ContextInternal) vertx.getOrCreateContext();
            PgConnectOptions options = JobReads.connectOptions(jdbcUrl, username, Optional.empty())
                    .addProperty("search_path", schema);
            ReadBatcher<String> batcher = new ReadBatcher<>(vertx, context, options, JobReads.SELECT,
                    row -> row.getString("status"), 256, 10_000);
            batchers.add(batcher);
            Loop loop = new Loop(context, batcher);
            for (int i = 0; i < 10; i++) {
                assertEquals(List.of(Optional.empty()), readTogether(loop, List.of("video_missing" + i)));
            }
            long[] whileEmpty = awaitScans(schema, 10);
            try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
                s.execute("INSERT INTO " + schema + ".jobs (local_id, kind, model, vendor_path, created_at, status) "
                        + "SELECT 'video_grown' || i, 'video', 'sora-2', '/p', 1, 'completed' "
                        + "FROM generate_series(1, 20000) i");
            }

            for (int i = 1; i <= 10; i++) {
                assertEquals(List.of(Optional.of("completed")), readTogether(loop, List.of("video_grown" + i * 1999)));
            }
            long[] grown = awaitScans(schema, whileEmpty[0] + whileEmpty[1] + 10);
            assertEquals(whileEmpty[0], grown[0], "sequential scans of the grown table");
            assertTrue(grown[1] >= whileEmpty[1] + 10, "index scans: " + whileEmpty[1] + " then " + grown[1]);
            assertEquals(20, loop.batcher().queries());
        } finally {
            try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
                s.execute("DROP SCHEMA " + schema + " CASCADE");
            }
        }
    }

    /**
     * Sequential and index scans of {@code schema.jobs} counted by the statistics, once they are at least
     * {@code atLeast} in all and have stopped changing (a backend reports its counts within about a second of going
     * idle; planning may add index probes of its own).
     */
    private long[] awaitScans(String schema, long atLeast) throws SQLException, InterruptedException {
        long[] last = { -1, -1 };
        long stableSince = System.nanoTime();
        for (int i = 0; i < 300; i++) {
            Thread.sleep(100);
            long[] scans = { 0, 0 };
            try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("SELECT "
                    + "coalesce(seq_scan, 0), coalesce(idx_scan, 0) FROM pg_stat_user_tables WHERE schemaname = ? "
                    + "AND relname = 'jobs'")) {
                ps.setString(1, schema);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        scans = new long[] { rs.getLong(1), rs.getLong(2) };
                    }
                }
            }
            if (!Arrays.equals(scans, last)) {
                last = scans;
                stableSince = System.nanoTime();
            } else if (scans[0] + scans[1] >= atLeast && System.nanoTime() - stableSince > 2_000_000_000L) {
                return scans;
            }
        }
        throw new AssertionError("scans of " + schema + ".jobs: " + last[0] + " sequential, " + last[1]
                + " index, expected at least " + atLeast + " in all, settled");
    }

    /** Ends the backend {@code pid} and waits until it is gone. */
    private void terminate(int pid) throws SQLException, InterruptedException {
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement ps = c.prepareStatement("SELECT pg_terminate_backend(?)")) {
                ps.setInt(1, pid);
                ps.execute();
            }
            for (int i = 0; i < 100; i++) {
                try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM pg_stat_activity WHERE pid = ?")) {
                    ps.setInt(1, pid);
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        if (rs.getInt(1) == 0) {
                            return;
                        }
                    }
                }
                Thread.sleep(50);
            }
        }
        throw new IllegalStateException("backend " + pid + " did not end");
    }
}
