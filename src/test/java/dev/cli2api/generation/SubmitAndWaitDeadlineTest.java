package dev.cli2api.generation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import dev.cli2api.api.ApiException;
import dev.cli2api.testsupport.FakeMuleRun;
import dev.cli2api.testsupport.FakeMuleRun.Reply;
import dev.cli2api.testsupport.FakeUpstreamProfile;
import dev.cli2api.testsupport.InjectFakeMuleRun;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;

/**
 * The deadline reached between polls names the last poll error (spec §2.5). Polls every 400 ms against a 1 s
 * deadline: polls at about 400 and 800 ms fail, and the next wait outlasts the deadline, so the deadline falls in a
 * sleep, not in a request. A first run warms the path up: a cold first poll (client, connection, JIT) once took over
 * 600 ms on a loaded machine, so the deadline fell during it and the message had no poll error to name.
 */
@QuarkusTest
@TestProfile(SubmitAndWaitDeadlineTest.Profile.class)
class SubmitAndWaitDeadlineTest {

    @InjectFakeMuleRun
    FakeMuleRun fake;

    @Inject
    SubmitAndWait waiter;

    @Test
    void deadlineAfterAPollErrorNamesTheError() {
        fake.reset();
        fake.onPolls(Reply.completed("images", "https://cdn/warm.png"));
        try {
            waiter.run("/vendors/openai/v1/gpt-image-2/generation", JsonNodeFactory.instance.objectNode()).await()
                    .atMost(Duration.ofSeconds(10));
        } catch (ApiException slowWarmUp) {
            // only here to warm the path; on a very slow machine even this may hit the 1 s deadline
        }
        fake.reset();
        fake.onPolls(Reply.json(429, "{}"));

        ApiException e = assertThrows(ApiException.class, () -> waiter.run("/vendors/openai/v1/gpt-image-2/generation",
                JsonNodeFactory.instance.objectNode()).await().atMost(Duration.ofSeconds(10)));

        assertEquals("upstream_error", e.type());
        assertEquals("upstream: job did not complete before timeout (last poll error: upstream HTTP 429 (transient))",
                e.getMessage());
    }

    public static class Profile extends FakeUpstreamProfile {

        public Profile() {
            super("400ms", "400ms", "1s");
        }
    }
}
