package dev.cli2api.generation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import dev.cli2api.api.ApiException;
import dev.cli2api.testsupport.FakeMuleRun;
import dev.cli2api.testsupport.FakeMuleRun.Reply;
import dev.cli2api.testsupport.FakeUpstreamProfile;
import dev.cli2api.testsupport.InjectFakeMuleRun;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;

@QuarkusTest
@TestProfile(FakeUpstreamProfile.class)
class SubmitAndWaitTest {

    private static final String PATH = "/vendors/openai/v1/gpt-image-2/generation";
    private static final Duration WAIT = Duration.ofSeconds(10);

    @InjectFakeMuleRun
    FakeMuleRun fake;

    @Inject
    SubmitAndWait waiter;

    @BeforeEach
    void reset() {
        fake.reset();
    }

    private JsonNode run() {
        return waiter.run(PATH, JsonNodeFactory.instance.objectNode().put("prompt", "p")).await().atMost(WAIT);
    }

    private ApiException failure() {
        return assertThrows(ApiException.class, this::run);
    }

    @Test
    void processingThenCompletedReturnsTheImages() {
        fake.onPolls(Reply.status("processing"), Reply.completed("images", "https://cdn/1.png"));

        JsonNode task = run();

        assertEquals("https://cdn/1.png", task.path("images").path(0).asText());
        assertTrue(fake.polls().size() >= 2);
    }

    @Test
    void vendorFailureSurfacesAsVendorError() {
        fake.onPolls(Reply.vendorFailure(3001, "content policy", "prompt rejected"));

        ApiException e = failure();

        assertEquals(502, e.status());
        assertEquals("vendor_error", e.type());
        assertEquals("[3001] content policy: prompt rejected", e.getMessage());
    }

    @Test
    void forbiddenPollEndsTheWaitWithinTwoPolls() {
        fake.onPolls(Reply.json(403, "{\"detail\":\"forbidden\"}"));

        ApiException e = failure();

        assertEquals("vendor_error", e.type());
        assertEquals("[403] HTTP 403: task is no longer available", e.getMessage());
        assertTrue(fake.polls().size() <= 2);
    }

    @Test
    void connectionDropThen503ThenCompletedSucceeds() {
        fake.onPolls(Reply.connectionDrop(), Reply.json(503, "{}"), Reply.completed("images", "https://cdn/1.png"));

        JsonNode task = run();

        assertEquals(1, task.path("images").size());
        assertTrue(fake.polls().size() >= 3);
    }

    @Test
    void alwaysProcessingEndsWithTheTimeoutSentinel() {
        fake.onPolls(Reply.status("processing"));

        ApiException e = failure();

        assertEquals("upstream_error", e.type());
        assertEquals("upstream: job did not complete before timeout", e.getMessage());
    }

    @Test
    void deadlineTrippingDuringAPollRequestGivesThePlainSentinel() {
        // spec §2.5: one poll failed, but the deadline trips while the next poll is in flight
        fake.onPolls(Reply.json(429, "{}"), Reply.status("processing").after(10_000));

        assertEquals("upstream: job did not complete before timeout", failure().getMessage());
    }

    @Test
    void sixConsecutivePollErrorsAbort() {
        fake.onPolls(Reply.status("processing"), Reply.json(503, "{}"));

        ApiException e = failure();

        assertEquals("upstream: upstream unreachable after 6 consecutive poll errors: upstream HTTP 503",
                e.getMessage());
        assertEquals(7, fake.polls().size());
    }

    @Test
    void errorsSeparatedBySuccessfulPollsDoNotAccumulate() {
        fake.onPolls(Reply.json(503, "{}"), Reply.json(503, "{}"), Reply.json(503, "{}"), Reply.json(503, "{}"),
                Reply.json(503, "{}"), Reply.status("processing"), Reply.json(503, "{}"), Reply.json(503, "{}"),
                Reply.completed("images", "https://cdn/1.png"));

        assertEquals(1, run().path("images").size());
    }

    @Test
    void submitRejectionIsAnUpstreamError() {
        fake.onSubmit(Reply.json(402, "{\"detail\":\"credits\"}"));

        ApiException e = failure();

        assertEquals("upstream_error", e.type());
        assertEquals("upstream: upstream HTTP 402", e.getMessage());
        assertTrue(fake.polls().isEmpty());
    }

    @Test
    void submitVendorErrorIsAnUpstreamErrorNotAVendorError() {
        fake.onSubmit(Reply.json(400, "{\"task_info\":{\"error\":{\"code\":3005,\"title\":\"title\",\"detail\":\"detail\"}}}"));

        ApiException e = failure();

        assertEquals("upstream_error", e.type());
        assertEquals("upstream: [3005] title: detail", e.getMessage());
    }
}
