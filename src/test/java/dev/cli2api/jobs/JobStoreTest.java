package dev.cli2api.jobs;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;

/**
 * The store's own guarantees: one job per idempotency key under races, lease-guarded transitions (alone and in
 * batches), the per-tick submit marker, cursor pages.
 */
@QuarkusTest
@TestProfile(JobsProfile.class)
class JobStoreTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    /** A clock far ahead (year 2096): rows stamped with it are not due for the running worker. */
    private static final long FUTURE = 4_000_000_000_000L;

    @Inject
    DataSource dataSource;

    @Inject
    JobStore store;

    private JobRows rows;
    private String owner;

    @BeforeEach
    void setUp() {
        rows = new JobRows(dataSource);
        owner = "jtstore-" + UUID.randomUUID();
    }

    @AfterEach
    void tearDown() {
        rows.deleteCreated();
    }

    /** A queued video job of this test's owner that the running worker leaves alone. */
    private Job queued(String id, String idempotencyKey) {
        Job job = new Job();
        job.id = rows.track(id);
        job.kind = JobKind.VIDEO;
        job.model = "sora-2";
        job.vendorPath = "/vendors/openai/v1/sora-2/generation";
        job.createdAt = System.currentTimeMillis() / 1000;
        job.ownerKeyHash = owner;
        job.idempotencyKey = idempotencyKey;
        job.requestHash = "hash";
        job.nextRunAt = Long.MAX_VALUE;
        return job;
    }

    @Test
    void shouldAnswerTheWinnersJobWhenAConcurrentInsertTakesTheIdempotencyKeyFirst() throws Exception {
        ExecutorService loserThread = Executors.newSingleThreadExecutor();
        try (Connection winner = dataSource.getConnection()) {
            winner.setAutoCommit(false);
            rows.insert(winner, "video_jtstorewinner01", Map.of("owner_key_hash", owner, "idempotency_key", "race",
                    "request_hash", "hash", "next_run_at", Long.MAX_VALUE));

            Future<Job> loser = loserThread.submit(() -> store.insert(queued("video_jtstoreloser001", "race")));
            // the loser saw no holder of the key and now waits on the winner's uncommitted index entry
            await().atMost(WAIT).until(rows::insertWaitingOnALock);
            winner.commit();

            assertEquals("video_jtstorewinner01", loser.get(WAIT.toSeconds(), TimeUnit.SECONDS).id);
        } finally {
            loserThread.shutdownNow();
        }
        assertEquals(1, rows.countWithIdempotencyKey(owner, "video", "race"));
    }

    @Test
    void shouldCreateOneJobForManyConcurrentInsertsWithTheSameIdempotencyKey() throws Exception {
        int racers = 8;
        ExecutorService threads = Executors.newFixedThreadPool(racers);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Job>> answers = new ArrayList<>();
        try {
            for (int i = 0; i < racers; i++) {
                Job job = queued(String.format("video_jtstoreracer%03d", i), "many");
                answers.add(threads.submit(() -> {
                    start.await();
                    return store.insert(job);
                }));
            }
            start.countDown();
            List<String> ids = new ArrayList<>();
            for (Future<Job> answer : answers) {
                ids.add(answer.get(WAIT.toSeconds(), TimeUnit.SECONDS).id);
            }

            assertEquals(1, ids.stream().distinct().count(), ids.toString());
        } finally {
            threads.shutdownNow();
        }
        assertEquals(1, rows.countWithIdempotencyKey(owner, "video", "many"));
    }

    @Test
    void shouldApplyATransitionOnlyWhileTheCallerHoldsTheLease() {
        String id = "video_jtstoreleased01";
        long now = System.currentTimeMillis();
        rows.insert(id, Map.of("lease_owner", "replica-a", "lease_expires_at", now + 60_000,
                "next_run_at", Long.MAX_VALUE));

        assertFalse(store.record(new JobTransition.Completed(id, "replica-b", "[\"https://cdn.example/v.mp4\"]",
                now)));
        assertEquals("queued", rows.column(id, "status"));
        assertEquals("replica-a", rows.column(id, "lease_owner"));

        assertTrue(store.record(new JobTransition.Completed(id, "replica-a", "[\"https://cdn.example/v.mp4\"]",
                now)));
        assertEquals("completed", rows.column(id, "status"));
        assertEquals("[\"https://cdn.example/v.mp4\"]", rows.column(id, "result_urls"));
        assertEquals(String.valueOf(now / 1000), rows.column(id, "completed_at"));
        assertNull(rows.column(id, "lease_owner"));
        assertFalse(store.record(new JobTransition.Failed(id, "replica-a", 0, "too late", now)),
                "the lease went with the completion");
    }

    @Test
    void shouldClaimTheDueUnfinishedJobsWhoseLeaseIsFreeOrExpiredAndLeaseThem() {
        // due before any other row (negative times), and leased until just before FUTURE, so the running worker leaves
        // them alone while a claim at FUTURE finds those leases expired; the claim's limit is the two it should take,
        // so it never reaches (and steals) another test's or the running worker's rows
        rows.insert("video_jtstoreclaim001", Map.of("next_run_at", -4000L, "lease_owner", "parked",
                "lease_expires_at", FUTURE - 1));
        rows.insert("video_jtstoreclaim002", Map.of("next_run_at", -3000L, "lease_owner", "another-replica",
                "lease_expires_at", FUTURE + 60_000));
        rows.insert("video_jtstoreclaim003", Map.of("next_run_at", -2000L, "lease_owner", "a-crashed-replica",
                "lease_expires_at", FUTURE - 1, "status", "in_progress"));
        rows.insert("video_jtstoreclaim005", Map.of("next_run_at", -5000L, "status", "completed"));

        List<String> claimed = store.claim(owner, FUTURE, FUTURE + 30_000, 2, Long.MAX_VALUE, true).stream()
                .map(job -> job.id).toList();

        assertEquals(Set.of("video_jtstoreclaim001", "video_jtstoreclaim003"), Set.copyOf(claimed));
        for (String id : List.of("video_jtstoreclaim001", "video_jtstoreclaim003")) {
            assertEquals(owner, rows.column(id, "lease_owner"));
            assertEquals(String.valueOf(FUTURE + 30_000), rows.column(id, "lease_expires_at"));
        }
        assertEquals("another-replica", rows.column("video_jtstoreclaim002", "lease_owner"));
    }

    @Test
    void shouldLeasePendingJobsOnlyWhileTheirBodiesFitTheBudgetButPollsAlways() {
        // a regression: a claim of 32 pending jobs with 8 MB reference images loaded 270 MB of bodies at once and ran
        // a 512 MiB heap out of memory; polls, which need no body, loaded theirs too
        byte[] noise = new byte[300_000];
        new java.util.Random(3).nextBytes(noise);
        String body = "{\"prompt\":\"x\",\"input_reference\":\"data:image/png;base64,"
                + java.util.Base64.getEncoder().encodeToString(noise) + "\"}";
        // due before any other row, leased until just before FUTURE: only a claim at FUTURE takes them
        Map<String, Object> parked = Map.of("lease_owner", "parked", "lease_expires_at", FUTURE - 1,
                "request_body", body);
        rows.insert("video_jtstorebudget01", with(parked, "next_run_at", -9000L));
        rows.insert("video_jtstorebudget02", with(parked, "next_run_at", -8000L));
        rows.insert("video_jtstorebudget03", with(with(with(parked, "next_run_at", -7000L), "status", "in_progress"),
                "submit_state", "submitted"));
        rows.insert("video_jtstorebudget04", with(parked, "next_run_at", -6000L));
        long size = Long.parseLong(rows.column("video_jtstorebudget01", "pg_column_size(request_body)"));

        List<Job> first = store.claim(owner, FUTURE, FUTURE + 30_000, 4, 2 * size + size / 2, false);

        Map<String, Job> claimed = new java.util.HashMap<>();
        first.forEach(job -> claimed.put(job.id, job));
        assertEquals(Set.of("video_jtstorebudget01", "video_jtstorebudget02", "video_jtstorebudget03"),
                claimed.keySet());
        assertTrue(claimed.get("video_jtstorebudget01").requestBody
                .contains(java.util.Base64.getEncoder().encodeToString(noise)), "a submit gets its body");
        assertNull(claimed.get("video_jtstorebudget03").requestBody, "a poll does not");
        assertEquals("parked", rows.column("video_jtstorebudget04", "lease_owner"), "left for a later claim");

        assertEquals(List.of(), store.claim(owner, FUTURE, FUTURE + 30_000, 4, 0, false));
        assertEquals(List.of("video_jtstorebudget04"),
                store.claim(owner, FUTURE, FUTURE + 30_000, 4, 0, true).stream().map(job -> job.id).toList(),
                "one body larger than what is left still goes when the worker holds none");
    }

    private static Map<String, Object> with(Map<String, Object> columns, String name, Object value) {
        Map<String, Object> more = new java.util.HashMap<>(columns);
        more.put(name, value);
        return more;
    }

    /**
     * PostgreSQL updates a row in place (HOT: no new index entries, the old version pruned by the next reader without
     * VACUUM) only when no index names a column the update changes. The claim, the submit marker and the shutdown
     * release change only these columns; were one indexed, every claim would leave a dead row version behind for
     * each job's GETs to step over until VACUUM came.
     */
    @Test
    void shouldIndexNoColumnThatAClaimOrTheSubmitMarkerChanges() throws SQLException {
        List<String> indexes = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); var s = c.createStatement();
                var rs = s.executeQuery("SELECT pg_get_indexdef(indexrelid) FROM pg_index "
                        + "WHERE indrelid = 'jobs'::regclass")) {
            while (rs.next()) {
                indexes.add(rs.getString(1));
            }
        }

        assertTrue(indexes.stream().anyMatch(index -> index.contains("next_run_at")), indexes.toString());
        for (String column : List.of("lease_owner", "lease_expires_at", "submit_state", "submit_attempts",
                "updated_at")) {
            assertTrue(indexes.stream().noneMatch(index -> index.contains(column)), column + " in " + indexes);
        }
    }

    @Test
    void shouldMarkOnlyThePendingJobsStillLeasedToTheCallerSubmittingInOneStatement() {
        long until = FUTURE + 60_000;
        rows.insert("video_jtstoremark0001", Map.of("lease_owner", owner, "lease_expires_at", until,
                "next_run_at", Long.MAX_VALUE));
        rows.insert("video_jtstoremark0002", Map.of("lease_owner", "another-replica", "lease_expires_at", until,
                "next_run_at", Long.MAX_VALUE));
        rows.insert("video_jtstoremark0003", Map.of("lease_owner", owner, "lease_expires_at", until,
                "next_run_at", Long.MAX_VALUE, "submit_state", "submitting", "submit_attempts", 1));
        rows.insert("video_jtstoremark0004", Map.of("lease_owner", owner, "lease_expires_at", until,
                "next_run_at", Long.MAX_VALUE, "submit_state", "submitted"));
        rows.insert("video_jtstoremark0005", Map.of("next_run_at", Long.MAX_VALUE));
        rows.insert("video_jtstoremark0006", Map.of("lease_owner", owner, "lease_expires_at", until,
                "next_run_at", Long.MAX_VALUE));

        Set<String> marked = store.markSubmitting(List.of("video_jtstoremark0001", "video_jtstoremark0002",
                "video_jtstoremark0003", "video_jtstoremark0004", "video_jtstoremark0005", "video_jtstoremark0006",
                "video_jtstoremarkgone"), owner, FUTURE);

        assertEquals(Set.of("video_jtstoremark0001", "video_jtstoremark0006"), marked);
        for (String id : marked) {
            assertEquals("submitting", rows.column(id, "submit_state"));
            assertEquals("1", rows.column(id, "submit_attempts"));
            assertEquals(String.valueOf(FUTURE), rows.column(id, "updated_at"));
            assertEquals(owner, rows.column(id, "lease_owner"), "the lease is kept for the submit");
        }
        assertEquals("pending", rows.column("video_jtstoremark0002", "submit_state"));
        assertEquals("0", rows.column("video_jtstoremark0002", "submit_attempts"));
        assertEquals("1", rows.column("video_jtstoremark0003", "submit_attempts"));
        assertEquals("submitted", rows.column("video_jtstoremark0004", "submit_state"));
        assertEquals("pending", rows.column("video_jtstoremark0005", "submit_state"));
        assertEquals(Set.of(), store.markSubmitting(List.of(), owner, FUTURE));
    }

    @Test
    void shouldRecordABatchOfTransitionsInOneGoSkippingTheJobsWhoseLeaseWasLost() throws Exception {
        String[] ids = { "video_jtstorebatch001", "video_jtstorebatch002", "video_jtstorebatch003",
                "video_jtstorebatch004", "video_jtstorebatch005", "video_jtstorebatch006", "video_jtstorebatch007" };
        for (String id : ids) {
            rows.insert(id, Map.of("lease_owner", owner, "lease_expires_at", FUTURE + 60_000,
                    "next_run_at", Long.MAX_VALUE, "submit_state", "submitting", "poll_attempts", 2,
                    "poll_errors", 1));
        }
        rows.insert("video_jtstorebatchlost", Map.of("lease_owner", "another-replica",
                "lease_expires_at", FUTURE + 60_000, "next_run_at", Long.MAX_VALUE));
        long now = FUTURE;

        boolean[] applied = store.record(List.of(
                new JobTransition.Submitted(ids[0], owner, "task-9", now, 1_000),
                new JobTransition.Completed("video_jtstorebatchlost", owner, "[\"https://cdn.example/x.mp4\"]", now),
                new JobTransition.Progressed(ids[1], owner, "in_progress", "processing", 1_500, now),
                new JobTransition.Completed(ids[2], owner, "[\"https://cdn.example/v.mp4\"]", now),
                new JobTransition.PollFailed(ids[3], owner, "upstream HTTP 503", 2_250, now),
                new JobTransition.Failed(ids[4], owner, 3005, "[3005] content policy", now),
                new JobTransition.SubmitRetried(ids[5], owner, "upstream submit failed: 503", now + 5_000, now),
                new JobTransition.Released(ids[6], owner, now + 7_000, now),
                new JobTransition.Submitted(ids[0], "another-replica", "task-x", now, 1_000)));

        assertArrayEquals(new boolean[] { true, false, true, true, true, true, true, true, false }, applied);
        for (String id : ids) {
            assertNull(rows.column(id, "lease_owner"), id + " handed its lease back");
            assertEquals("0", rows.column(id, "lease_expires_at"));
            assertEquals(String.valueOf(now), rows.column(id, "updated_at"));
        }
        assertEquals("another-replica", rows.column("video_jtstorebatchlost", "lease_owner"));
        assertEquals("queued", rows.column("video_jtstorebatchlost", "status"));

        assertEquals(List.of("submitted", "task-9", String.valueOf(now), "1000", String.valueOf(now + 1_000), ""),
                columns(ids[0], "submit_state", "vendor_task_id", "submitted_at", "poll_interval_ms", "next_run_at",
                        "last_error"));
        assertEquals(List.of("in_progress", "processing", "3", "0", "1500", String.valueOf(now + 1_500)),
                columns(ids[1], "status", "upstream_status", "poll_attempts", "poll_errors", "poll_interval_ms",
                        "next_run_at"));
        assertEquals(List.of("completed", "[\"https://cdn.example/v.mp4\"]", String.valueOf(now / 1000),
                "completed"), columns(ids[2], "status", "result_urls", "completed_at", "upstream_status"));
        assertEquals(List.of("queued", "3", "2", "upstream HTTP 503", "2250", String.valueOf(now + 2_250)),
                columns(ids[3], "status", "poll_attempts", "poll_errors", "last_error", "poll_interval_ms",
                        "next_run_at"));
        assertEquals(List.of("failed", "3005", "[3005] content policy", String.valueOf(now / 1000)),
                columns(ids[4], "status", "err_code", "err_message", "completed_at"));
        assertEquals(List.of("pending", "upstream submit failed: 503", String.valueOf(now + 5_000)),
                columns(ids[5], "submit_state", "last_error", "next_run_at"));
        assertEquals(List.of("submitting", "queued", String.valueOf(now + 7_000)),
                columns(ids[6], "submit_state", "status", "next_run_at"));
    }

    @Test
    void shouldWriteNothingOfABatchWhenOneOfItsWritesFails() {
        rows.insert("video_jtstoreatomic01", Map.of("lease_owner", owner, "lease_expires_at", FUTURE + 60_000,
                "next_run_at", Long.MAX_VALUE));
        rows.insert("video_jtstoreatomic02", Map.of("lease_owner", owner, "lease_expires_at", FUTURE + 60_000,
                "next_run_at", Long.MAX_VALUE));

        assertThrows(SQLException.class, () -> store.record(List.of(
                new JobTransition.Completed("video_jtstoreatomic01", owner, "[]", FUTURE),
                new JobTransition.Progressed("video_jtstoreatomic02", owner, "not-a-status", "odd", 1_000, FUTURE))));

        assertEquals("queued", rows.column("video_jtstoreatomic01", "status"), "one transaction: rolled back");
        assertEquals(owner, rows.column("video_jtstoreatomic01", "lease_owner"));
        assertEquals("queued", rows.column("video_jtstoreatomic02", "status"));
    }

    @Test
    void shouldStillRecordTheOtherOutcomesOfABatchWhenOneCannotBeWritten() throws Exception {
        List<String> ids = List.of("video_jtstorewriter01", "video_jtstorewriter02", "video_jtstorewriter03",
                "video_jtstorewriter04");
        for (String id : ids) {
            rows.insert(id, Map.of("lease_owner", owner, "lease_expires_at", FUTURE + 60_000,
                    "next_run_at", Long.MAX_VALUE, "submit_state", "submitted", "status", "in_progress"));
        }
        List<Integer> batchSizes = new CopyOnWriteArrayList<>();
        CountDownLatch gate = new CountDownLatch(1);
        TransitionWriter writer = new TransitionWriter(batch -> {
            batchSizes.add(batch.size());
            if (batchSizes.size() == 1) {
                gate.await();
            }
            return store.record(batch);
        }, "jtstore-records");
        CountDownLatch done = new CountDownLatch(ids.size());
        try {
            writer.write(new JobTransition.PollFailed(ids.get(0), owner, "upstream HTTP 502", 1_000, FUTURE),
                    done::countDown);
            await().atMost(WAIT).until(() -> batchSizes.size() == 1);
            writer.write(new JobTransition.Completed(ids.get(1), owner, "[\"https://cdn.example/1.mp4\"]", FUTURE),
                    done::countDown);
            // the table's status check refuses this outcome: it cannot be stored
            writer.write(new JobTransition.Progressed(ids.get(2), owner, "bogus", "running", 1_500, FUTURE),
                    done::countDown);
            writer.write(new JobTransition.Progressed(ids.get(3), owner, "in_progress", "running", 1_500, FUTURE),
                    done::countDown);
            gate.countDown();

            assertTrue(done.await(WAIT.toSeconds(), TimeUnit.SECONDS), "every callback ran");
        } finally {
            gate.countDown();
            writer.close(WAIT);
        }

        assertEquals(List.of(1, 3, 1, 1, 1), batchSizes, "the failed batch of 3 was written again item by item");
        assertEquals("1", rows.column(ids.get(0), "poll_errors"));
        assertEquals("completed", rows.column(ids.get(1), "status"));
        assertEquals(List.of("in_progress", owner), columns(ids.get(2), "status", "lease_owner"),
                "the bad outcome is not recorded; the job waits for its lease to expire");
        assertEquals(Arrays.asList("running", null), columns(ids.get(3), "upstream_status", "lease_owner"));
    }

    private List<String> columns(String id, String... names) {
        return Arrays.stream(names).map(name -> rows.column(id, name)).toList();
    }

    @Test
    void shouldDeleteAJobOnceAndKeepItsListPlace() {
        rows.insert("video_jtstoredel00001", Map.of("owner_key_hash", "owner-d", "created_at", 42L,
                "next_run_at", Long.MAX_VALUE));
        JobCursor place = store.place("video_jtstoredel00001", JobKind.VIDEO, Optional.of("owner-d")).orElseThrow();
        assertEquals(42, place.createdAt());
        assertEquals(Optional.empty(), store.place("video_jtstoredel00001", JobKind.VIDEO, Optional.of("owner-x")));

        assertTrue(store.delete("video_jtstoredel00001", 1000));
        // what two concurrent DELETEs come to: the second finds nothing to delete (and its route answers 404)
        assertFalse(store.delete("video_jtstoredel00001", 1001));

        assertFalse(rows.exists("video_jtstoredel00001"));
        assertEquals("1000", rows.deletedAt("video_jtstoredel00001"));
        assertEquals(Optional.of(place), store.deletedPlace("video_jtstoredel00001", JobKind.VIDEO,
                Optional.of("owner-d"), 1000));
        assertEquals(Optional.empty(), store.place("video_jtstoredel00001", JobKind.VIDEO, Optional.of("owner-d")));
    }

    @Test
    void shouldPageJobsOfTheSameSecondInTheOrderTheyCameNotByTheirIds() {
        // a regression: same-second jobs were ordered by their random ids, so one created after a page's last job
        // with a lower id sorted before it, and a client paging on with order=asc never saw it
        rows.insert("video_jtstoresec0009", Map.of("owner_key_hash", owner, "created_at", 300L,
                "next_run_at", Long.MAX_VALUE));
        Optional<JobCursor> last = store.place("video_jtstoresec0009", JobKind.VIDEO, Optional.of(owner));
        for (String later : List.of("video_jtstoresec0005", "video_jtstoresec0001")) {
            rows.insert(later, Map.of("owner_key_hash", owner, "created_at", 300L, "next_run_at", Long.MAX_VALUE));
        }

        assertEquals(List.of("video_jtstoresec0005", "video_jtstoresec0001"),
                ids(store.page(owner, JobKind.VIDEO, last, true, 10, Long.MAX_VALUE)));
        assertEquals(List.of("video_jtstoresec0001", "video_jtstoresec0005", "video_jtstoresec0009"),
                ids(store.page(owner, JobKind.VIDEO, Optional.empty(), false, 10, Long.MAX_VALUE)));
    }

    @Test
    void shouldPageByCreationTimeThenInsertionInEitherOrder() {
        for (String[] row : new String[][] { { "video_jtstorepage0001", "100" }, { "video_jtstorepage0002", "200" },
                { "video_jtstorepage0003", "200" } }) {
            rows.insert(row[0], Map.of("owner_key_hash", owner, "created_at", Long.parseLong(row[1]),
                    "next_run_at", Long.MAX_VALUE));
        }
        rows.insert("audio_jtstorepage0004", Map.of("owner_key_hash", owner, "kind", "music",
                "next_run_at", Long.MAX_VALUE));
        Optional<JobCursor> second = store.place("video_jtstorepage0002", JobKind.VIDEO, Optional.of(owner));

        assertEquals(List.of("video_jtstorepage0003", "video_jtstorepage0002", "video_jtstorepage0001"),
                ids(store.page(owner, JobKind.VIDEO, Optional.empty(), false, 10, Long.MAX_VALUE)));
        assertEquals(List.of("video_jtstorepage0001"), ids(store.page(owner, JobKind.VIDEO, second, false, 10, Long.MAX_VALUE)));
        assertEquals(List.of("video_jtstorepage0001", "video_jtstorepage0002"),
                ids(store.page(owner, JobKind.VIDEO, Optional.empty(), true, 2, Long.MAX_VALUE)));
        assertEquals(List.of("video_jtstorepage0003"), ids(store.page(owner, JobKind.VIDEO, second, true, 2, Long.MAX_VALUE)));
    }

    @Test
    void shouldEndAPageBeforeTheEchoThatWouldTakeItPastItsBytes() {
        // a regression: a page echoed every prompt it held, and twenty jobs with 20 MB prompts ran a 256 MiB heap out
        // of memory on GET /v1/videos (500) for as long as they lived; now a page ends before the echo that would
        // take it past its bytes, and the client pages on as has_more says
        String prompt = "p".repeat(1000);
        for (int i = 1; i <= 4; i++) {
            rows.insert("video_jtstoreecho000" + i, Map.of("owner_key_hash", owner, "created_at", 500L + i,
                    "next_run_at", Long.MAX_VALUE, "request_echo", "{\"prompt\":\"" + prompt + "\",\"size\":\"720x1280\"}"));
        }
        long echo = ("{\"size\": \"720x1280\", \"prompt\": \"" + prompt + "\"}").length(); // as jsonb prints it

        JobStore.Page first = store.page(owner, JobKind.VIDEO, Optional.empty(), true, 10, 2 * echo + 1);
        assertEquals(List.of("video_jtstoreecho0001", "video_jtstoreecho0002", "video_jtstoreecho0003"), ids(first),
                "the third starts within the bytes");
        assertTrue(first.more());
        assertEquals("\"" + prompt + "\"", first.jobs().get(2).prompt());
        assertEquals("\"720x1280\"", first.jobs().get(2).size());
        JobStore.Page rest = store.page(owner, JobKind.VIDEO, store.place("video_jtstoreecho0003", JobKind.VIDEO,
                Optional.of(owner)), true, 10, 2 * echo + 1);
        assertEquals(List.of("video_jtstoreecho0004"), ids(rest));
        assertFalse(rest.more());

        assertEquals(List.of("video_jtstoreecho0001"),
                ids(store.page(owner, JobKind.VIDEO, Optional.empty(), true, 10, 1)), "the first is always on it");
        assertEquals(List.of("video_jtstoreecho0004", "video_jtstoreecho0003"),
                ids(store.page(owner, JobKind.VIDEO, Optional.empty(), false, 10, echo + 1)));
        JobStore.Page limited = store.page(owner, JobKind.VIDEO, Optional.empty(), false, 2, Long.MAX_VALUE);
        assertEquals(2, limited.jobs().size());
        assertTrue(limited.more());
        assertFalse(store.page(owner, JobKind.VIDEO, Optional.empty(), false, 4, Long.MAX_VALUE).more());
    }

    private static List<String> ids(JobStore.Page page) {
        return page.jobs().stream().map(JobView::id).toList();
    }
}
