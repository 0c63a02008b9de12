package dev.cli2api.jobs;

import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/** The scheduled reaper ticking every 50 ms with the worker switched off. */
public class ReaperScheduleProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("cli2api.reaper.interval", "50ms", "cli2api.worker.interval", "0");
    }
}
