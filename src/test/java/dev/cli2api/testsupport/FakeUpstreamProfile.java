package dev.cli2api.testsupport;

import java.util.List;
import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * Runs the service against a {@link FakeMuleRun} with short waits: first poll after 20 ms, backoff capped at 50 ms,
 * a 2 s deadline for synchronous generation.
 */
public class FakeUpstreamProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("cli2api.poll.interval", "20ms", "cli2api.poll.max-interval", "50ms",
                "cli2api.image.timeout", "2s");
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(FakeMuleRunResource.class));
    }
}
