package dev.cli2api.upstream;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import dev.cli2api.credentials.FakeOAuthServer;
import dev.cli2api.testsupport.FakeMuleRun;
import dev.cli2api.testsupport.FakeMuleRun.Reply;
import dev.cli2api.testsupport.InjectFakeMuleRun;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;

/**
 * A long-running service survives token rotation on its job calls: the credential comes from an OAuth cache whose
 * cached muk- key the upstream no longer accepts; the first job call gets 401, the service refreshes once (OAuth
 * refresh + exchange on a fake OAuth host), persists the new key and repeats that call once with it.
 */
@QuarkusTest
@TestProfile(TokenRotationTest.Profile.class)
class TokenRotationTest {

    private static final String PATH = "/vendors/google/v1/nano-banana/generation";
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String OLD_MUK = "muk-rotated-away-0000";

    @InjectFakeMuleRun
    FakeMuleRun fake;

    @Inject
    MuleRunJobs jobs;

    @Test
    void jobCallsRefreshOnceAfter401AndRetryWithTheNewKey() throws IOException {
        fake.reset();
        fake.acceptOnly(FakeOAuthServer.EXCHANGED_MUK);

        SubmitOutcome submit = jobs.submit(PATH, JsonNodeFactory.instance.objectNode().put("prompt", "a cat"))
                .await().atMost(WAIT);

        assertEquals(new SubmitOutcome.Accepted("task-1"), submit);
        List<String> sent = fake.submits().stream().map(FakeMuleRun.Received::authorization).toList();
        assertEquals(List.of("Bearer " + OLD_MUK, "Bearer " + FakeOAuthServer.EXCHANGED_MUK), sent);
        assertEquals("{\"prompt\":\"a cat\"}", fake.submits().get(1).body(), "the retry carries the same body");
        assertEquals(1, Resource.oauth.refreshes().size());
        String cache = Files.readString(Resource.cache);
        assertEquals(true, cache.contains(FakeOAuthServer.EXCHANGED_MUK), "the new key is persisted");

        // later calls use the new key straight away, and the synchronous routes get it too
        fake.onPolls(Reply.completed("images", "https://cdn/a.png"));
        assertInstanceOf(PollOutcome.Succeeded.class, jobs.poll(PATH, "task-1").await().atMost(WAIT));
        given().contentType("application/json").body("{\"model\":\"wan2.6-t2i\",\"prompt\":\"a cat\"}")
                .when().post("/v1/images/generations")
                .then().statusCode(200).body("data[0].url", startsWith("https://cdn/"));
        assertEquals(1, fake.requests().stream().filter(r -> ("Bearer " + OLD_MUK).equals(r.authorization())).count(),
                "only the first call used the old key");
        assertEquals(1, Resource.oauth.refreshes().size(), "one refresh in all");
    }

    public static class Profile implements QuarkusTestProfile {

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("cli2api.poll.interval", "20ms", "cli2api.poll.max-interval", "50ms",
                    "cli2api.image.timeout", "5s");
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(Resource.class));
        }
    }

    /** A fake MuleRun and a fake OAuth host, and an OAuth cache holding a key the fake MuleRun will reject. */
    public static class Resource implements QuarkusTestResourceLifecycleManager {

        static FakeOAuthServer oauth;
        static Path cache;
        private FakeMuleRun fake;
        private Path dir;

        @Override
        public Map<String, String> start() {
            fake = new FakeMuleRun();
            fake.start();
            oauth = FakeOAuthServer.start();
            try {
                dir = Files.createTempDirectory("cli2api-rotation");
                cache = dir.resolve("oauth_cache.json");
                long expiresAt = Instant.now().plus(Duration.ofHours(1)).getEpochSecond();
                Files.writeString(cache, "{\"access_token\":\"eyJhbGciOiJub25lIn0.eyJzdWIiOiJvbGQifQ.\","
                        + "\"refresh_token\":\"rt-0001\",\"expires_at\":" + expiresAt + ",\"cli2api_muk_key\":\""
                        + OLD_MUK + "\"}");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return Map.of("cli2api.sandbox", "false", "mulerun.token", "", "mulerun.api-base-url", fake.baseUrl(),
                    "mulerun.oauth-base-url", oauth.baseUrl(), "cli2api.token-cache", cache.toString());
        }

        @Override
        public void stop() {
            fake.stop();
            oauth.close();
        }

        @Override
        public void inject(TestInjector injector) {
            injector.injectIntoFields(fake, new TestInjector.AnnotatedAndMatchesType(InjectFakeMuleRun.class,
                    FakeMuleRun.class));
        }
    }
}
