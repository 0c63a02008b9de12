package dev.cli2api.jobs;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import dev.cli2api.testsupport.FakeMuleRun;
import dev.cli2api.testsupport.FakeMuleRun.Reply;
import dev.cli2api.testsupport.FakeUpstreamProfile;
import dev.cli2api.testsupport.InjectFakeMuleRun;
import dev.cli2api.upstream.MuleRunJobs;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import jakarta.inject.Inject;

@QuarkusTest
@TestProfile(FakeUpstreamProfile.class)
class WorkerEventLoopTest {

    private static final String PATH = "/vendors/openai/v1/sora-2/generation";
    private static final String THREAD = "test-jobs-upstream";

    @InjectFakeMuleRun
    FakeMuleRun fake;

    @Inject
    MuleRunJobs upstream;

    @Inject
    Vertx vertx;

    private WorkerEventLoop loop;

    @BeforeEach
    void start() {
        fake.reset();
        loop = new WorkerEventLoop(vertx, THREAD);
    }

    @AfterEach
    void stop() {
        loop.close();
    }

    @Test
    void aSubmitStartedOnTheLoopIsAnsweredOnItNotOnTheApiLoops() throws Exception {
        assertEquals(THREAD, threadAnswering(() -> upstream.submit(PATH,
                JsonNodeFactory.instance.objectNode().put("prompt", "a boat"))));
        assertEquals(1, fake.submits().size());
    }

    @Test
    void aPollStartedOnTheLoopIsAnsweredOnIt() throws Exception {
        fake.onPolls(Reply.completed("videos", "https://cdn/v.mp4"));

        // twice: the second poll reuses the pooled connection the first one opened
        assertEquals(THREAD, threadAnswering(() -> upstream.poll(PATH, "task-1")));
        assertEquals(THREAD, threadAnswering(() -> upstream.poll(PATH, "task-1")));
        assertEquals(2, fake.polls().size());
    }

    @Test
    void itsThreadNeverKeepsTheJvmAlive() throws Exception {
        CompletableFuture<Boolean> daemon = new CompletableFuture<>();
        loop.execute(() -> daemon.complete(Thread.currentThread().isDaemon()));

        assertTrue(daemon.get(5, TimeUnit.SECONDS));
    }

    @Test
    void aClosedLoopRefusesWork() {
        loop.close();

        await().atMost(Duration.ofSeconds(5)).untilAsserted(
                () -> assertThrows(RejectedExecutionException.class, () -> loop.execute(() -> {
                })));
    }

    /** The name of the thread that receives the answer to the call {@code call} makes when started on the loop. */
    private String threadAnswering(Supplier<Uni<?>> call) throws Exception {
        CompletableFuture<String> answeredOn = new CompletableFuture<>();
        loop.execute(() -> call.get().subscribe().with(outcome -> answeredOn.complete(Thread.currentThread().getName()),
                answeredOn::completeExceptionally));
        return answeredOn.get(5, TimeUnit.SECONDS);
    }
}
