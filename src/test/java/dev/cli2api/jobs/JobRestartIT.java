package dev.cli2api.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.cli2api.testsupport.FakeMuleRun;
import dev.cli2api.testsupport.FakeMuleRun.Reply;
import dev.cli2api.testsupport.ItDatabase;
import dev.cli2api.testsupport.PackagedService;

/**
 * The service is stopped while jobs are queued and in flight, and started again on the same database: every job
 * completes and none is submitted twice. Both instances are the packaged application in child processes, talking to a
 * fake MuleRun in this JVM.
 *
 * <p>The first instance may keep {@value #IN_FLIGHT} upstream calls open. The fake holds its polls unanswered, so
 * once the first {@value #IN_FLIGHT} jobs are submitted and polled the instance is full: the remaining jobs stay
 * queued and no submit is in flight when it stops (a submit cut off by a crash is failed on purpose, never repeated,
 * so a kill mid-submit could not end in "every job completes"). Then it is stopped gracefully (leases handed back at
 * once) or killed (leases must expire first), the fake starts answering, and a second instance finishes everything.
 * A graceful stop while submits are in flight waits for their answers, so those jobs complete too.
 *
 * <p>The instances use a database of their own, {@code <test database>_it_restart}, emptied before each test; their
 * output goes to {@code target/restart-it/}.
 */
class JobRestartIT {

    private static final int JOBS = 20;
    private static final int IN_FLIGHT = 5;
    private static final Duration LEASE = Duration.ofSeconds(15);
    private static final Duration WAIT = Duration.ofMinutes(2);
    private static final Duration SLOW_SUBMIT = Duration.ofSeconds(3);

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final List<PackagedService> STARTED = new ArrayList<>();
    private static FakeMuleRun fake;
    private static String jdbcUrl;

    private String testName;

    @BeforeAll
    static void startFake() {
        fake = new FakeMuleRun();
        fake.start();
        jdbcUrl = ItDatabase.url("_it_restart");
    }

    @AfterAll
    static void stopEverything() {
        STARTED.forEach(PackagedService::close);
        if (fake != null) {
            fake.stop();
        }
    }

    @BeforeEach
    void setUp(TestInfo info) throws SQLException {
        testName = info.getTestMethod().orElseThrow().getName();
        fake.reset();
        deleteAllJobs();
    }

    @AfterEach
    void killLeftovers() {
        STARTED.forEach(PackagedService::close);
    }

    @Test
    void everyJobCompletesOnceAfterAGracefulStop() throws Exception {
        List<String> ids = startWithJobsInFlightAndQueued(PackagedService::stop);

        assertEquals(Map.of(), leaseOwners(), "a graceful stop hands every lease back");
        finishOnASecondInstance(ids);
    }

    @Test
    void everyJobCompletesOnceAfterAHardKillOnceItsLeasesExpire() throws Exception {
        List<String> ids = startWithJobsInFlightAndQueued(PackagedService::kill);

        Map<String, String> leased = leaseOwners();
        assertEquals(IN_FLIGHT, leased.size(), "a killed instance keeps the leases of the jobs it was polling");
        assertEquals(1, leased.values().stream().distinct().count(), leased.toString());
        finishOnASecondInstance(ids);
    }

    @Test
    void aGracefulStopWaitsForTheSubmitsItHasSent() throws Exception {
        fake.onSubmit(Reply.json(202, "{\"task_info\":{\"id\":\"task-1\",\"status\":\"pending\"}}")
                .after(SLOW_SUBMIT.toMillis()));
        PackagedService first = start(testName + "-1");
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ids.add(createVideo(first, i));
        }
        awaitUntil(() -> fake.submits().size() == ids.size(), "the submits to be sent", first);

        first.stop();

        assertEquals(Map.of("submitted", ids.stream().sorted().toList()), submitStates(),
                "the answers to submits in flight are recorded before the instance exits");
        assertEquals(Map.of(), leaseOwners());
        finishOnASecondInstance(ids);
    }

    /**
     * Starts an instance, fills it with {@value #IN_FLIGHT} jobs whose polls are in flight, queues the rest, and ends
     * it with {@code stop}; returns the job ids in creation order.
     */
    private List<String> startWithJobsInFlightAndQueued(Consumer<PackagedService> stop) throws Exception {
        fake.holdPolls();
        PackagedService first = start(testName + "-1");
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < IN_FLIGHT; i++) {
            ids.add(createVideo(first, i));
        }
        awaitUntil(() -> fake.heldPolls() == IN_FLIGHT, "the first jobs' polls to be held", first);
        for (int i = IN_FLIGHT; i < JOBS; i++) {
            ids.add(createVideo(first, i));
        }
        Map<String, List<String>> submitStates = submitStates();
        assertEquals(ids.subList(0, IN_FLIGHT).stream().sorted().toList(), submitStates.get("submitted"),
                "the first jobs were submitted");
        assertEquals(ids.subList(IN_FLIGHT, JOBS).stream().sorted().toList(), submitStates.get("pending"),
                "the others are still queued");
        assertEquals(IN_FLIGHT, fake.submits().size());
        for (String id : ids) {
            assertEquals("queued", status(first, id).path("status").asText(), id);
        }

        stop.accept(first);
        return ids;
    }

    /** Lets the fake answer (processing twice, then completed) and a new instance finish every job. */
    private void finishOnASecondInstance(List<String> ids) throws Exception {
        fake.onPolls(Reply.status("processing"), Reply.status("processing"),
                Reply.completed("videos", "https://cdn.example/restart.mp4"));
        fake.releasePolls();
        PackagedService second = start(testName + "-2");

        awaitUntil(() -> {
            int completed = 0;
            for (String id : ids) {
                JsonNode job = status(second, id);
                assertTrue(!job.path("status").asText().equals("failed"), id + " failed: " + job);
                completed += job.path("status").asText().equals("completed") ? 1 : 0;
            }
            return completed == ids.size();
        }, "every job to complete", second);

        Map<String, Long> submitsPerPrompt = fake.submits().stream()
                .map(submit -> readJson(submit.body()).path("prompt").asText())
                .collect(Collectors.groupingBy(Function.identity(), TreeMap::new, Collectors.counting()));
        Map<String, Long> once = new TreeMap<>();
        for (int i = 0; i < ids.size(); i++) {
            once.put(prompt(i), 1L);
        }
        assertEquals(once, submitsPerPrompt, "exactly one submit per job");
        second.stop();
    }

    private PackagedService start(String name) throws IOException {
        Map<String, String> env = new HashMap<>();
        env.put("QUARKUS_DATASOURCE_JDBC_URL", jdbcUrl);
        // a small pool: the database server is shared with the other tests and builds
        env.put("QUARKUS_DATASOURCE_JDBC_MAX_SIZE", "5");
        env.put("CLI2API_SANDBOX", "false");
        env.put("MULERUN_TOKEN", "muk-restart-it");
        env.put("MULERUN_API_BASE_URL", fake.baseUrl());
        env.put("CLI2API_WORKER_INTERVAL", "100ms");
        env.put("CLI2API_WORKER_BATCH", String.valueOf(IN_FLIGHT));
        env.put("CLI2API_WORKER_MAX_IN_FLIGHT", String.valueOf(IN_FLIGHT));
        env.put("CLI2API_WORKER_LEASE", LEASE.toSeconds() + "s");
        env.put("CLI2API_POLL_INTERVAL", "200ms");
        env.put("CLI2API_POLL_MAX_INTERVAL", "500ms");
        env.put("CLI2API_REAPER_INTERVAL", "0");
        env.put("_PROD_QUARKUS_LOG_CONSOLE_JSON_ENABLED", "false");
        ItDatabase.passCredentials(env);
        PackagedService service = PackagedService.start(env, Path.of("target", "restart-it", name + ".log"));
        STARTED.add(service);
        return service;
    }

    private static String prompt(int i) {
        return "restart job " + i;
    }

    private String createVideo(PackagedService service, int i) throws Exception {
        String body = JSON.createObjectNode().put("model", "sora-2").put("prompt", prompt(i)).put("seconds", "4")
                .toString();
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(service.baseUrl() + "/v1/videos"))
                .header("Content-Type", "application/json").timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(202, response.statusCode(), response.body());
        return readJson(response.body()).path("id").asText();
    }

    private static JsonNode status(PackagedService service, String id) {
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(service.baseUrl()
                    + "/v1/videos/" + id)).timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, response.statusCode(), response.body());
            return readJson(response.body());
        } catch (IOException e) {
            throw new AssertionError("GET /v1/videos/" + id + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static JsonNode readJson(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + text, e);
        }
    }

    /** Checks {@code condition} every 200 ms until it holds; fails after {@link #WAIT} with the service's log. */
    private static void awaitUntil(BooleanSupplier condition, String what,
            PackagedService service) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what + " (see " + service.log() + "):\n"
                        + service.logTail());
            }
            Thread.sleep(200);
        }
    }

    // ---- the instances' database ---------------------------------------------------------------------------

    /** Empties the jobs table, if the database and its schema exist yet (the first instance creates them). */
    private static void deleteAllJobs() throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.executeUpdate("DELETE FROM jobs");
        } catch (SQLException e) {
            // 3D000: no such database; 42P01: no jobs table yet
            if (!"3D000".equals(e.getSQLState()) && !"42P01".equals(e.getSQLState())) {
                throw e;
            }
        }
    }

    /** Job ids by {@code submit_state}, each list sorted. */
    private static Map<String, List<String>> submitStates() throws SQLException {
        Map<String, List<String>> states = new TreeMap<>();
        try (Connection c = connect(); PreparedStatement ps = c.prepareStatement(
                "SELECT submit_state, local_id FROM jobs ORDER BY local_id"); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                states.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(rs.getString(2));
            }
        }
        return states;
    }

    /** The jobs whose lease is still held, and by whom. */
    private static Map<String, String> leaseOwners() throws SQLException {
        Map<String, String> owners = new TreeMap<>();
        try (Connection c = connect(); PreparedStatement ps = c.prepareStatement(
                "SELECT local_id, lease_owner FROM jobs WHERE lease_owner IS NOT NULL AND lease_expires_at > ?")) {
            ps.setLong(1, System.currentTimeMillis());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    owners.put(rs.getString(1), rs.getString(2));
                }
            }
        }
        return owners;
    }

    /** A connection to the instances' database; waits while the server is full (other builds share it). */
    private static Connection connect() throws SQLException {
        Properties props = ItDatabase.credentials();
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            try {
                return DriverManager.getConnection(jdbcUrl, props);
            } catch (SQLException e) {
                // 53300: too many connections
                if (!"53300".equals(e.getSQLState()) || System.nanoTime() > deadline) {
                    throw e;
                }
            }
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SQLException("interrupted while waiting for a connection", e);
            }
        }
    }
}
