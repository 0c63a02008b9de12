package dev.cli2api.credentials;

import static dev.cli2api.credentials.CredentialFiles.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.cli2api.config.Cli2ApiConfig;
import dev.cli2api.config.MuleRunConfig;
import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;

/** The environment variables reach discovery through the real config mappings. */
// inside Quarkus: the OAuth calls go through a typed REST client, which Quarkus builds
@io.quarkus.test.junit.QuarkusTest
class UpstreamCredentialsConfigTest {

    @TempDir
    Path dir;

    private final FakeOAuthServer server = FakeOAuthServer.start();

    @AfterEach
    void stop() {
        server.close();
    }

    private static SmallRyeConfig config(Map<String, String> env) {
        return new SmallRyeConfigBuilder()
                .withSources(new EnvConfigSource(env, 300))
                .withMapping(Cli2ApiConfig.class)
                .withMapping(MuleRunConfig.class)
                .build();
    }

    private static UpstreamCredentials credentials(Map<String, String> env) {
        SmallRyeConfig config = config(env);
        return new UpstreamCredentials(config.getConfigMapping(Cli2ApiConfig.class),
                config.getConfigMapping(MuleRunConfig.class));
    }

    private static Duration oauthTimeout(String raw) {
        Map<String, String> env = new HashMap<>();
        if (raw != null) {
            env.put("CLI2API_OAUTH_TIMEOUT", raw);
        }
        return config(env).getConfigMapping(Cli2ApiConfig.class).oauthTimeout();
    }

    @Test
    void shouldParseOAuthTimeoutLeniently() {
        assertEquals(Duration.ofSeconds(10), oauthTimeout(null));
        assertEquals(Duration.ofSeconds(3), oauthTimeout("3s"));
        assertEquals(Duration.ofSeconds(20), oauthTimeout("20"));
        assertEquals(Duration.ofSeconds(10), oauthTimeout("not-a-duration"));
        assertEquals(Duration.ofSeconds(10), oauthTimeout("0"));
        assertEquals(Duration.ofSeconds(10), oauthTimeout("-5s"));
    }

    @Test
    void shouldUseMuleRunTokenFromEnvironment() {
        UpstreamCredentials credentials = credentials(Map.of("MULERUN_TOKEN", "  muk-from-env  "));

        Credential credential = credentials.discover().orElseThrow();

        assertEquals("muk-from-env", credential.token());
        assertEquals("env:MULERUN_TOKEN", credential.source());
    }

    @Test
    void shouldUseConfiguredCachePathOAuthHostAndTimeout() {
        Path cache = write(dir.resolve("oauth_cache.json"), "{\"access_token\":\"" + CredentialFiles.jwt("cfg") + "\"}");
        UpstreamCredentials credentials = credentials(Map.of(
                "CLI2API_TOKEN_CACHE", " " + cache + " ",
                "MULERUN_OAUTH_BASE_URL", server.baseUrl() + "/",
                "CLI2API_OAUTH_TIMEOUT", "20"));

        Credential credential = credentials.discover().orElseThrow();

        assertEquals(FakeOAuthServer.EXCHANGED_MUK, credential.token());
        assertEquals("file:" + cache, credential.source());
        assertEquals(1, server.exchanges().size());
    }

    @Test
    void shouldApplyConfiguredTimeoutToEachOAuthCall() {
        String jwt = CredentialFiles.jwt("slow");
        server.delayAnswers(Duration.ofSeconds(5));
        UpstreamCredentials credentials = credentials(Map.of(
                "MULERUN_TOKEN", jwt,
                "MULERUN_OAUTH_BASE_URL", server.baseUrl(),
                "CLI2API_OAUTH_TIMEOUT", "1"));

        long started = System.nanoTime();
        Credential credential = credentials.discover().orElseThrow();
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertEquals(jwt, credential.token(), "the raw JWT is kept when the exchange times out");
        assertTrue(took.compareTo(Duration.ofSeconds(4)) < 0, "took " + took);
    }
}
