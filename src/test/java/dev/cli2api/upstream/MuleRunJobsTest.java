package dev.cli2api.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.time.Duration;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import dev.cli2api.testsupport.FakeMuleRun;
import dev.cli2api.testsupport.FakeMuleRun.Reply;
import dev.cli2api.testsupport.FakeMuleRunResource;
import dev.cli2api.testsupport.FakeUpstreamProfile;
import dev.cli2api.testsupport.InjectFakeMuleRun;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;

@QuarkusTest
@TestProfile(FakeUpstreamProfile.class)
class MuleRunJobsTest {

    private static final String PATH = "/vendors/google/v1/nano-banana/generation";
    private static final Duration WAIT = Duration.ofSeconds(5);

    @InjectFakeMuleRun
    FakeMuleRun fake;

    @Inject
    MuleRunJobs jobs;

    @BeforeEach
    void reset() {
        fake.reset();
    }

    @Test
    void submitPostsTheBodyWithBearerAuthAndReturnsTheTaskId() {
        SubmitOutcome outcome = jobs.submit(PATH, JsonNodeFactory.instance.objectNode().put("prompt", "a cat"))
                .await().atMost(WAIT);

        assertEquals(new SubmitOutcome.Accepted("task-1"), outcome);
        FakeMuleRun.Received submit = fake.submits().get(0);
        assertEquals(PATH, submit.path());
        assertEquals("Bearer " + FakeMuleRunResource.TOKEN, submit.authorization());
        assertEquals("{\"prompt\":\"a cat\"}", submit.body());
    }

    @Test
    void submitRejectionCarriesTheUpstreamStatus() {
        fake.onSubmit(Reply.json(402, "{\"detail\":\"out of credits\"}"));

        SubmitOutcome outcome = jobs.submit(PATH, JsonNodeFactory.instance.objectNode()).await().atMost(WAIT);

        assertEquals("upstream HTTP 402", assertInstanceOf(SubmitOutcome.Rejected.class, outcome).message());
    }

    @Test
    void pollGetsTheTaskUnderTheVendorPathWithBearerAuth() {
        fake.onPolls(Reply.completed("images", "https://cdn/a.png"));

        PollOutcome outcome = jobs.poll(PATH, "task-1").await().atMost(WAIT);

        PollOutcome.Succeeded succeeded = assertInstanceOf(PollOutcome.Succeeded.class, outcome);
        assertEquals("https://cdn/a.png", succeeded.body().path("images").path(0).asText());
        assertEquals(PATH + "/task-1", fake.polls().get(0).path());
        assertEquals("Bearer " + FakeMuleRunResource.TOKEN, fake.polls().get(0).authorization());
    }

    @ParameterizedTest
    @ValueSource(ints = { 403, 404, 410 })
    void goneTaskEndsAsFailedWithTheHttpStatusAsCode(int status) {
        fake.onPolls(Reply.json(status, "{\"detail\":\"Not Found\"}"));

        PollOutcome outcome = jobs.poll(PATH, "task-1").await().atMost(WAIT);

        assertEquals(status, assertInstanceOf(PollOutcome.Failed.class, outcome).error().code());
    }

    @ParameterizedTest
    @ValueSource(ints = { 401, 408, 425, 429 })
    void retryableStatusesAreNotDone(int status) {
        fake.onPolls(Reply.json(status, "{\"detail\":\"later\"}"));

        PollOutcome outcome = jobs.poll(PATH, "task-1").await().atMost(WAIT);

        assertInstanceOf(PollOutcome.Transient.class, outcome);
        assertFalse(outcome.done());
    }

    @Test
    void connectionThatKeepsDroppingIsATransientPollError() {
        fake.onPolls(Reply.connectionDrop());

        assertInstanceOf(PollOutcome.Transient.class, jobs.poll(PATH, "task-1").await().atMost(WAIT));
        assertEquals(2, fake.polls().size(), "a failed connection is tried once more, not more");
    }

    @Test
    void pollOnAConnectionThatDiesIsRepeatedOnceAtOnce() {
        // a pooled connection the upstream closed must not cost a poll (it is an idempotent GET)
        fake.onPolls(Reply.connectionDrop(), Reply.completed("images", "https://cdn/a.png"));

        assertInstanceOf(PollOutcome.Succeeded.class, jobs.poll(PATH, "task-1").await().atMost(WAIT));
        assertEquals(2, fake.polls().size());
    }

    @Test
    void pollsReuseAPooledConnectionWhileEverySubmitHasItsOwn() {
        for (int i = 0; i < 3; i++) {
            jobs.submit(PATH, JsonNodeFactory.instance.objectNode()).await().atMost(WAIT);
            jobs.poll(PATH, "task-1").await().atMost(WAIT);
        }

        assertEquals(3, fake.submits().stream().map(FakeMuleRun.Received::clientPort).distinct().count(),
                "a submit is not idempotent, so it never rides a pooled connection that may have gone stale");
        assertEquals(1, fake.polls().stream().map(FakeMuleRun.Received::clientPort).distinct().count());
    }

    @Test
    void unauthorizedWithAFixedTokenIsAnsweredOnceAndNotRetried() {
        // MULERUN_TOKEN cannot be refreshed: the 401 stands (spec §2.4 classifies it)
        fake.acceptOnly("muk-some-other-token");

        SubmitOutcome submit = jobs.submit(PATH, JsonNodeFactory.instance.objectNode()).await().atMost(WAIT);
        PollOutcome poll = jobs.poll(PATH, "task-1").await().atMost(WAIT);

        assertEquals(401, assertInstanceOf(SubmitOutcome.Rejected.class, submit).httpStatus());
        assertInstanceOf(PollOutcome.Transient.class, poll);
        assertEquals(1, fake.submits().size());
        assertEquals(1, fake.polls().size());
    }

    @Test
    void statuslessAnswerIsAFailure() {
        fake.onPolls(Reply.json(200, "{\"task_info\":{\"id\":\"task-1\"}}"));

        PollOutcome outcome = jobs.poll(PATH, "task-1").await().atMost(WAIT);

        assertEquals("[200] empty status: upstream returned 2xx with no status field",
                assertInstanceOf(PollOutcome.Failed.class, outcome).error().message());
    }
}
