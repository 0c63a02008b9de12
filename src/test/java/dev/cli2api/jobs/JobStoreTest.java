package dev.cli2api.jobs;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
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
 * The store's own guarantees: one job per idempotency key under races, lease-guarded transitions, the per-tick submit
 * marker, cursor pages.
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

        assertFalse(store.completed(id, "replica-b", "[\"https://cdn.example/v.mp4\"]", now));
        assertEquals("queued", rows.column(id, "status"));
        assertEquals("replica-a", rows.column(id, "lease_owner"));

        assertTrue(store.completed(id, "replica-a", "[\"https://cdn.example/v.mp4\"]", now));
        assertEquals("completed", rows.column(id, "status"));
        assertEquals("[\"https://cdn.example/v.mp4\"]", rows.column(id, "result_urls"));
        assertEquals(String.valueOf(now / 1000), rows.column(id, "completed_at"));
        assertNull(rows.column(id, "lease_owner"));
        assertFalse(store.failed(id, "replica-a", 0, "too late", now), "the lease went with the completion");
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
    void shouldPageByCreationTimeThenIdInEitherOrder() {
        for (String[] row : new String[][] { { "video_jtstorepage0001", "100" }, { "video_jtstorepage0002", "200" },
                { "video_jtstorepage0003", "200" } }) {
            rows.insert(row[0], Map.of("owner_key_hash", owner, "created_at", Long.parseLong(row[1]),
                    "next_run_at", Long.MAX_VALUE));
        }
        rows.insert("audio_jtstorepage0004", Map.of("owner_key_hash", owner, "kind", "music",
                "next_run_at", Long.MAX_VALUE));
        Optional<Job> second = store.find("video_jtstorepage0002");

        assertEquals(List.of("video_jtstorepage0003", "video_jtstorepage0002", "video_jtstorepage0001"),
                ids(store.page(owner, JobKind.VIDEO, Optional.empty(), false, 10)));
        assertEquals(List.of("video_jtstorepage0001"), ids(store.page(owner, JobKind.VIDEO, second, false, 10)));
        assertEquals(List.of("video_jtstorepage0001", "video_jtstorepage0002"),
                ids(store.page(owner, JobKind.VIDEO, Optional.empty(), true, 2)));
        assertEquals(List.of("video_jtstorepage0003"), ids(store.page(owner, JobKind.VIDEO, second, true, 2)));
    }

    private static List<String> ids(List<Job> jobs) {
        return jobs.stream().map(job -> job.id).toList();
    }
}
