package dev.cli2api.testsupport;

import java.util.List;
import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * Runs the service against a {@link FakeMuleRun} with short waits: first poll after 20 ms, backoff capped at 50 ms,
 * a 2 s deadline for synchronous generation.
 */
public class FakeUpstreamProfile implements QuarkusTestProfile {

    private final Map<String, String> overrides;

    public FakeUpstreamProfile() {
        this("20ms", "50ms", "2s");
    }

    /** The same fake upstream with other poll timings (a subclass is a profile of its own). */
    protected FakeUpstreamProfile(String pollInterval, String pollMaxInterval, String imageTimeout) {
        overrides = Map.of("cli2api.poll.interval", pollInterval, "cli2api.poll.max-interval", pollMaxInterval,
                "cli2api.image.timeout", imageTimeout);
    }

    @Override
    public Map<String, String> getConfigOverrides() {
        return overrides;
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(FakeMuleRunResource.class));
    }
}
