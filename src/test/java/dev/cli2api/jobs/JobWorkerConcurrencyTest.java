package dev.cli2api.jobs;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;

import javax.sql.DataSource;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.cli2api.config.Cli2ApiConfig;
import dev.cli2api.testsupport.FakeMuleRun;
import dev.cli2api.testsupport.FakeMuleRun.Reply;
import dev.cli2api.testsupport.InjectFakeMuleRun;
import dev.cli2api.upstream.MuleRunJobs;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.Vertx;
import jakarta.inject.Inject;

/**
 * Several workers (replicas) racing over the same jobs submit each job exactly once; a job whose lease is lost between
 * the claim and the submit marker is not submitted.
 */
@QuarkusTest
@TestProfile(JobsProfile.class)
class JobWorkerConcurrencyTest {

    private static final int JOBS = 120;
    /** The clock of a worker under test (year 2096): rows it releases are not due for the running worker. */
    private static final long FUTURE = 4_000_000_000_000L;

    @InjectFakeMuleRun
    FakeMuleRun fake;

    @Inject
    DataSource dataSource;

    @Inject
    JobStore store;

    @Inject
    MuleRunJobs upstream;

    @Inject
    Cli2ApiConfig config;

    @Inject
    ObjectMapper json;

    @Inject
    Vertx vertx;

    private JobRows rows;

    @BeforeEach
    void setUp() {
        fake.reset();
        rows = new JobRows(dataSource);
    }

    @AfterEach
    void tearDown() {
        rows.deleteCreated();
    }

    @Test
    void shouldSubmitEveryJobExactlyOnceWithCompetingWorkers() throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < JOBS; i++) {
            String id = String.format("video_jtrace%09d", i);
            ids.add(id);
            rows.insert(id, Map.of("request_body", "{\"prompt\":\"" + id + "\"}"));
        }
        TransitionWriter writer = new TransitionWriter(store::record, "jtrace-records");
        List<JobWorker> workers = List.of(worker("replica-a", writer), worker("replica-b", writer),
                worker("replica-c", writer));
        AtomicBoolean running = new AtomicBoolean(true);
        ExecutorService threads = Executors.newFixedThreadPool(workers.size());
        try {
            for (JobWorker worker : workers) {
                threads.submit(() -> {
                    while (running.get()) {
                        worker.tick();
                    }
                });
            }
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> ids.stream().allMatch(id -> rows.column(id, "submit_state").equals("submitted")));
        } finally {
            running.set(false);
            threads.shutdown();
            threads.awaitTermination(10, TimeUnit.SECONDS);
            writer.close(Duration.ofSeconds(10));
        }

        Map<String, Long> submitsPerJob = fake.submits().stream()
                .map(r -> prompt(r.body()))
                .filter(ids::contains)
                .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
        assertEquals(JOBS, submitsPerJob.size());
        assertEquals(List.of(1L), submitsPerJob.values().stream().distinct().toList());
    }

    @Test
    void shouldSendNoSubmitForAClaimedJobThatTheTicksMarkerDidNotMark() throws Exception {
        long now = FUTURE;
        String owner = "replica-marker";
        List<Job> claimed = new ArrayList<>();
        for (String[] row : new String[][] { { "video_jtmarkkept0001", owner }, { "video_jtmarklost0002", "thief" },
                { "video_jtmarkkept0003", owner } }) {
            // the row as it is now; the worker still holds the copy its claim returned, leased to it and pending
            rows.insert(row[0], Map.of("lease_owner", row[1], "lease_expires_at", now + 60_000,
                    "next_run_at", Long.MAX_VALUE, "created_at", now / 1000,
                    "request_body", "{\"prompt\":\"" + row[0] + "\"}"));
            claimed.add(claimedCopy(row[0], owner, now));
        }
        // as if another replica took the second job over between the claim and the marker
        JobStore racing = new JobStore(dataSource) {
            @Override
            List<Job> claim(String claimer, long nowMs, long leaseUntil, int limit, long bodyBudget,
                    boolean oneAnyway) {
                List<Job> jobs = List.copyOf(claimed);
                claimed.clear();
                return jobs;
            }
        };
        TransitionWriter writer = new TransitionWriter(store::record, "jtmark-records");
        try {
            JobWorker worker = new JobWorker(racing, upstream, JobScheduling.settings(config), owner,
                    () -> now, writer);

            assertEquals(3, worker.tick());
            await().atMost(Duration.ofSeconds(10)).until(() -> worker.inFlight() == 0);
        } finally {
            writer.close(Duration.ofSeconds(10));
        }

        assertEquals(List.of("video_jtmarkkept0001", "video_jtmarkkept0003"), fake.submits().stream()
                .map(r -> prompt(r.body())).filter(p -> p.startsWith("video_jtmark")).sorted().toList());
        for (String kept : List.of("video_jtmarkkept0001", "video_jtmarkkept0003")) {
            assertEquals("submitted", rows.column(kept, "submit_state"));
            assertEquals("1", rows.column(kept, "submit_attempts"));
        }
        assertEquals("pending", rows.column("video_jtmarklost0002", "submit_state"));
        assertEquals("0", rows.column("video_jtmarklost0002", "submit_attempts"));
        assertEquals("thief", rows.column("video_jtmarklost0002", "lease_owner"));
    }

    @Test
    void shouldDrainABacklogPastOneBatchPerTickWithoutWaitingForTheNextTick() throws Exception {
        long now = FUTURE;
        List<String> ids = insertDue("video_jtbacklog", 10);
        // submits answered after 500 ms: the tick below cannot see room come free while it claims
        fake.onSubmit(acceptedAfter(500));
        JobWorker.Settings defaults = JobScheduling.settings(config);
        JobWorker.Settings small = new JobWorker.Settings(defaults.pollInterval(), defaults.pollMaxInterval(),
                defaults.lease(), 2, 4, defaults.hardCap(), defaults.submitBodyBudget());
        TransitionWriter writer = new TransitionWriter(store::record, "jtbacklog-records");
        ExecutorService ticks = Executors.newSingleThreadExecutor();
        try {
            JobWorker worker = new JobWorker(store, upstream, small, "replica-backlog", () -> now, writer);
            worker.onRoom(() -> ticks.execute(worker::tick));

            assertEquals(4, worker.tick(), "two full batches of 2, until the in-flight bound of 4");
            // no further tick is scheduled: only the wake-ups of freed room can claim the other six; wait until every
            // submit is answered and recorded (a job marked "submitting" may not have reached the fake yet)
            await().atMost(Duration.ofSeconds(15)).until(() -> ids.stream()
                    .allMatch(id -> rows.column(id, "submit_state").equals("submitted")));
        } finally {
            ticks.shutdown();
            ticks.awaitTermination(10, TimeUnit.SECONDS);
            writer.close(Duration.ofSeconds(10));
        }
        Map<String, Long> submitsPerJob = fake.submits().stream().map(r -> prompt(r.body())).filter(ids::contains)
                .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
        assertEquals(10, submitsPerJob.size());
        assertEquals(List.of(1L), submitsPerJob.values().stream().distinct().toList());
    }

    @Test
    void shouldStartItsUpstreamCallsThroughTheExecutorItIsGiven() throws Exception {
        // a replica's worker is given its own event loop (WorkerEventLoop), so its calls stay off the API's loops
        List<String> ids = insertDue("video_jtcalls", 3);
        TransitionWriter writer = new TransitionWriter(store::record, "jtcalls-records");
        WorkerEventLoop loop = new WorkerEventLoop(vertx, "jtcalls-upstream");
        AtomicInteger started = new AtomicInteger();
        try {
            JobWorker worker = new JobWorker(store, upstream, JobScheduling.settings(config), "replica-calls",
                    () -> FUTURE, writer);
            worker.callsOn(call -> {
                started.incrementAndGet();
                loop.execute(call);
            });

            assertEquals(3, worker.tick());
            await().atMost(Duration.ofSeconds(15)).until(() -> ids.stream()
                    .allMatch(id -> rows.column(id, "submit_state").equals("submitted")));
        } finally {
            writer.close(Duration.ofSeconds(10));
            loop.close();
        }
        assertEquals(3, started.get());
    }

    @Test
    void shouldStartAStepOfTheCallRatePerTickAndAskToBeWokenForTheNext() throws Exception {
        AtomicLong clock = new AtomicLong(FUTURE);
        List<String> ids = insertDue("video_jtrate", 7);
        // submits answered after a second: no job comes due for its first poll while the ticks below run
        fake.onSubmit(acceptedAfter(1000));
        TransitionWriter writer = new TransitionWriter(store::record, "jtrate-records");
        List<Long> wakeUps = new ArrayList<>();
        try {
            JobWorker worker = new JobWorker(store, upstream, JobScheduling.settings(config), "replica-rate",
                    clock::get, writer);
            // 200 calls/s: two per 10 ms step
            worker.pace(new WorkerPace(200, clock.get()));
            worker.onRateWait(wakeUps::add);

            List<Integer> perTick = tickUntilStarted(worker, ids.size(), wakeUps, clock);

            assertEquals(List.of(4, 2, 1), perTick, "the full bucket's two steps, then a step's worth per tick, "
                    + "then what is left");
            assertEquals(List.of(10L, 10L), wakeUps, "woken when the next step's worth has come back");
            assertEquals(0, worker.tick(), "nothing left that is due");
            await().atMost(Duration.ofSeconds(10)).until(() -> worker.inFlight() == 0);
        } finally {
            writer.close(Duration.ofSeconds(10));
        }
        Map<String, Long> submitsPerJob = fake.submits().stream().map(r -> prompt(r.body())).filter(ids::contains)
                .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
        assertEquals(7, submitsPerJob.size());
        assertEquals(List.of(1L), submitsPerJob.values().stream().distinct().toList());
    }

    @Test
    void shouldClaimAWholeStepAtATimeEvenWhenClaimsTakeTime() throws Exception {
        // each claim takes a millisecond or two, in which a 1000/s rate gets a call or two back; claiming those at
        // once would scan the due jobs for one or two each, many times a step
        AtomicLong clock = new AtomicLong(FUTURE);
        LongSupplier slowClock = () -> clock.getAndIncrement();
        List<String> ids = insertDue("video_jtwhole", 35);
        fake.onSubmit(acceptedAfter(1000));
        List<Integer> claims = new ArrayList<>();
        JobStore counting = new JobStore(dataSource) {
            @Override
            List<Job> claim(String owner, long nowMs, long leaseUntil, int limit, long bodyBudget,
                    boolean oneAnyway) {
                List<Job> claimed = super.claim(owner, nowMs, leaseUntil, limit, bodyBudget, oneAnyway);
                claims.add(claimed.size());
                return claimed;
            }
        };
        TransitionWriter writer = new TransitionWriter(store::record, "jtwhole-records");
        List<Long> wakeUps = new ArrayList<>();
        try {
            JobWorker worker = new JobWorker(counting, upstream, JobScheduling.settings(config), "replica-whole",
                    slowClock, writer);
            worker.pace(new WorkerPace(1000, clock.get()));
            worker.onRateWait(wakeUps::add);

            tickUntilStarted(worker, ids.size(), wakeUps, clock);

            assertEquals(20, claims.get(0), "a full bucket: two steps' worth");
            assertTrue(claims.subList(1, claims.size() - 1).stream().allMatch(n -> n >= 10),
                    "every claim but the last takes at least a step's worth: " + claims);
            assertEquals(35, claims.stream().mapToInt(Integer::intValue).sum());
            assertTrue(wakeUps.stream().allMatch(ms -> ms > 0 && ms < 10), "the claim's own time counts: " + wakeUps);
            await().atMost(Duration.ofSeconds(10)).until(() -> worker.inFlight() == 0);
        } finally {
            writer.close(Duration.ofSeconds(10));
        }
        assertEquals(Set.copyOf(ids), fake.submits().stream().map(r -> prompt(r.body())).filter(ids::contains)
                .collect(Collectors.toSet()));
    }

    /**
     * Ticks {@code worker} until it has started {@code jobs} jobs, moving {@code clock} on by each wake-up the worker
     * asks for (into {@code wakeUps}); returns how many each tick started.
     */
    private static List<Integer> tickUntilStarted(JobWorker worker, int jobs, List<Long> wakeUps, AtomicLong clock) {
        List<Integer> perTick = new ArrayList<>();
        int started = 0;
        while (started < jobs) {
            int before = wakeUps.size();
            int n = worker.tick();
            perTick.add(n);
            started += n;
            if (wakeUps.size() > before) {
                clock.addAndGet(wakeUps.get(wakeUps.size() - 1));
            }
        }
        return perTick;
    }

    /**
     * {@code count} pending video jobs named {@code prefix} + a number, due only for a worker whose clock reads
     * {@link #FUTURE} (the application's own worker leaves them alone); returns their ids.
     */
    private List<String> insertDue(String prefix, int count) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String id = String.format("%s%05d", prefix, i);
            ids.add(id);
            rows.insert(id, Map.of("next_run_at", FUTURE - 1, "created_at", FUTURE / 1000,
                    "request_body", "{\"prompt\":\"" + id + "\"}"));
        }
        return ids;
    }

    /** A submit accepted after {@code millis}. */
    private static Reply acceptedAfter(long millis) {
        return Reply.json(202, "{\"task_info\":{\"id\":\"task-1\",\"status\":\"pending\"}}").after(millis);
    }

    /** A pending video job as a claim by {@code owner} at {@code now} returns it. */
    private static Job claimedCopy(String id, String owner, long now) {
        Job job = new Job();
        job.id = id;
        job.kind = JobKind.VIDEO;
        job.model = "sora-2";
        job.vendorPath = "/vendors/openai/v1/sora-2/generation";
        job.createdAt = now / 1000;
        job.requestBody = "{\"prompt\":\"" + id + "\"}";
        job.leaseOwner = owner;
        job.leaseExpiresAt = now + 60_000;
        return job;
    }

    private String prompt(String body) {
        try {
            return json.readTree(body).path("prompt").asText();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private JobWorker worker(String owner, TransitionWriter writer) {
        return new JobWorker(store, upstream, JobScheduling.settings(config), owner, System::currentTimeMillis,
                writer);
    }
}
