package dev.cli2api.generation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import dev.cli2api.api.ApiException;
import dev.cli2api.testsupport.FakeMuleRun;
import dev.cli2api.testsupport.FakeUpstreamProfile;
import dev.cli2api.testsupport.InjectFakeMuleRun;
import dev.cli2api.upstream.MuleRunJobs;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;

/**
 * With no time at all ({@code CLI2API_IMAGE_TIMEOUT=0}, which the spec allows, like any duration ≤ 0) a wait fails
 * before anything is sent, as the reference's expired context does.
 */
@QuarkusTest
@TestProfile(SubmitAndWaitNoTimeTest.Profile.class)
class SubmitAndWaitNoTimeTest {

    private static final String PATH = "/vendors/openai/v1/gpt-image-2/generation";

    @InjectFakeMuleRun
    FakeMuleRun fake;

    @Inject
    SubmitAndWait waiter;

    @Inject
    MuleRunJobs jobs;

    @Test
    void aDeadlineAlreadyPastSubmitsNothing() throws InterruptedException {
        // a regression: a 1 ms floor on the submit's wait sent a paid submit that could never be waited for (with a
        // connection to the upstream already open, as in a running service, it went out well within that)
        fake.reset();
        jobs.submit(PATH, JsonNodeFactory.instance.objectNode()).await().atMost(Duration.ofSeconds(10));
        fake.reset();
        ApiException e = assertThrows(ApiException.class, () -> waiter.run(PATH, JsonNodeFactory.instance.objectNode()).await().atMost(Duration.ofSeconds(10)));
        assertEquals("upstream: job did not complete before timeout", e.getMessage());
        Thread.sleep(500); // a submit sent anyway would land by then
        assertEquals(0, fake.submits().size());
    }

    public static class Profile extends FakeUpstreamProfile {

        public Profile() {
            super("400ms", "400ms", "0");
        }
    }
}
