package dev.cli2api.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;

/** Proves each environment variable name lands in its mapping, with the spec's defaults and leniency. */
class ConfigMappingTest {

    private static SmallRyeConfig configFrom(Map<String, String> env) {
        return new SmallRyeConfigBuilder()
                .withSources(new EnvConfigSource(env, 300) {
                })
                .withMapping(Cli2ApiConfig.class)
                .withMapping(MuleRunConfig.class)
                .build();
    }

    private static Cli2ApiConfig cli2api(Map<String, String> env) {
        return configFrom(env).getConfigMapping(Cli2ApiConfig.class);
    }

    private static MuleRunConfig mulerun(Map<String, String> env) {
        return configFrom(env).getConfigMapping(MuleRunConfig.class);
    }

    @Test
    void defaultsMatchTheSpec() {
        Cli2ApiConfig c = cli2api(Map.of());
        assertEquals(List.of(), c.apiKeys());
        assertEquals(Duration.ofHours(168), c.job().retention());
        assertEquals(3.0, c.job().hardCapMult());
        assertEquals(Duration.ofHours(1), c.reaper().interval());
        assertEquals(Duration.ofMinutes(5), c.image().timeout());
        assertEquals(Duration.ofSeconds(2), c.poll().interval());
        assertEquals(Duration.ofSeconds(10), c.poll().maxInterval());
        assertEquals(Duration.ofHours(720), c.usage().retention());
        assertEquals(1024, c.usage().buffer());
        assertEquals(Duration.ofSeconds(10), c.oauthTimeout());
        assertEquals(Optional.empty(), c.tokenCache());
        assertEquals(Optional.empty(), c.sandbox());
        assertTrue(c.database().create());
        MuleRunConfig m = mulerun(Map.of());
        assertEquals(Optional.empty(), m.token());
        assertEquals("https://api.mulerun.com", m.apiBaseUrl());
        assertEquals("https://mulerun.com", m.oauthBaseUrl());
    }

    @Test
    void theWorkersCallRateIsAThousandASecondUnlessSetAndZeroOrLessLiftsIt() {
        assertEquals(1000, cli2api(Map.of()).worker().rate());
        assertEquals(250, cli2api(Map.of("CLI2API_WORKER_RATE", " 250 ")).worker().rate());
        assertEquals(0, cli2api(Map.of("CLI2API_WORKER_RATE", "0")).worker().rate());
        assertEquals(0, cli2api(Map.of("CLI2API_WORKER_RATE", "-3")).worker().rate());
        assertEquals(1000, cli2api(Map.of("CLI2API_WORKER_RATE", "fast")).worker().rate());
    }

    @Test
    void everyVariableLandsInItsMapping() {
        Cli2ApiConfig c = cli2api(Map.ofEntries(
                Map.entry("CLI2API_API_KEYS", " k1, ,k2 ,"),
                Map.entry("CLI2API_JOB_RETENTION", "24h"),
                Map.entry("CLI2API_JOB_HARD_CAP_MULT", "1.5"),
                Map.entry("CLI2API_REAPER_INTERVAL", "1s"),
                Map.entry("CLI2API_IMAGE_TIMEOUT", "15m"),
                Map.entry("CLI2API_POLL_INTERVAL", "500ms"),
                Map.entry("CLI2API_POLL_MAX_INTERVAL", "15s"),
                Map.entry("CLI2API_USAGE_RETENTION", "48h"),
                Map.entry("CLI2API_USAGE_BUFFER", "7"),
                Map.entry("CLI2API_OAUTH_TIMEOUT", "20"),
                Map.entry("CLI2API_TOKEN_CACHE", " /tmp/cache.json "),
                Map.entry("CLI2API_SANDBOX", "true"),
                Map.entry("CLI2API_DATABASE_CREATE", "false")));
        assertEquals(List.of("k1", "k2"), c.apiKeys());
        assertEquals(Duration.ofHours(24), c.job().retention());
        assertEquals(1.5, c.job().hardCapMult());
        assertEquals(Duration.ofSeconds(1), c.reaper().interval());
        assertEquals(Duration.ofMinutes(15), c.image().timeout());
        assertEquals(Duration.ofMillis(500), c.poll().interval());
        assertEquals(Duration.ofSeconds(15), c.poll().maxInterval());
        assertEquals(Duration.ofHours(48), c.usage().retention());
        assertEquals(7, c.usage().buffer());
        assertEquals(Duration.ofSeconds(20), c.oauthTimeout());
        assertEquals(Optional.of("/tmp/cache.json"), c.tokenCache());
        assertEquals(Optional.of(true), c.sandbox());
        assertEquals(false, c.database().create());

        MuleRunConfig m = mulerun(Map.of(
                "MULERUN_TOKEN", "  muk-abc  ",
                "MULERUN_API_BASE_URL", "http://127.0.0.1:9999//",
                "MULERUN_OAUTH_BASE_URL", "http://127.0.0.1:9998/"));
        assertEquals(Optional.of("muk-abc"), m.token());
        assertEquals("http://127.0.0.1:9999", m.apiBaseUrl());
        assertEquals("http://127.0.0.1:9998", m.oauthBaseUrl());
    }

    @Test
    void unparsableValuesFallBackToDefaults() {
        Cli2ApiConfig c = cli2api(Map.of(
                "CLI2API_JOB_RETENTION", "forever",
                "CLI2API_JOB_HARD_CAP_MULT", "+Inf",
                "CLI2API_IMAGE_TIMEOUT", "5 minutes",
                "CLI2API_POLL_MAX_INTERVAL", "ten",
                "CLI2API_USAGE_BUFFER", "0",
                "CLI2API_OAUTH_TIMEOUT", "not-a-duration"));
        assertEquals(Duration.ofHours(168), c.job().retention());
        assertEquals(3.0, c.job().hardCapMult());
        assertEquals(Duration.ofMinutes(5), c.image().timeout());
        assertEquals(Duration.ofSeconds(10), c.poll().maxInterval());
        assertEquals(1024, c.usage().buffer());
        assertEquals(Duration.ofSeconds(10), c.oauthTimeout());
    }

    @Test
    void zeroAndNegativeDurationsAreKeptForRetentionAndInterval() {
        Cli2ApiConfig c = cli2api(Map.of(
                "CLI2API_JOB_RETENTION", "0",
                "CLI2API_REAPER_INTERVAL", "-1s",
                "CLI2API_OAUTH_TIMEOUT", "-3s"));
        assertEquals(Duration.ZERO, c.job().retention());
        assertEquals(Duration.ofSeconds(-1), c.reaper().interval());
        assertEquals(Duration.ofSeconds(10), c.oauthTimeout(), "OAuth timeout must be positive");
    }
}
