package dev.cli2api.jobs;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.stream.Collectors;

import javax.sql.DataSource;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.cli2api.config.Cli2ApiConfig;
import dev.cli2api.testsupport.FakeMuleRun;
import dev.cli2api.testsupport.InjectFakeMuleRun;
import dev.cli2api.upstream.MuleRunJobs;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;

/** Several workers (replicas) racing over the same jobs submit each job exactly once. */
@QuarkusTest
@TestProfile(JobsProfile.class)
class JobWorkerConcurrencyTest {

    private static final int JOBS = 120;

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
        List<JobWorker> workers = List.of(worker("replica-a"), worker("replica-b"), worker("replica-c"));
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
        }

        Map<String, Long> submitsPerJob = fake.submits().stream()
                .map(r -> prompt(r.body()))
                .filter(ids::contains)
                .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
        assertEquals(JOBS, submitsPerJob.size());
        assertEquals(List.of(1L), submitsPerJob.values().stream().distinct().toList());
    }

    private String prompt(String body) {
        try {
            return json.readTree(body).path("prompt").asText();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private JobWorker worker(String owner) {
        return new JobWorker(store, upstream, JobScheduling.settings(config), owner, json, System::currentTimeMillis);
    }
}
