package dev.cli2api.jobs;

import java.util.HashMap;
import java.util.Map;

import dev.cli2api.testsupport.FakeUpstreamProfile;

/** The fake upstream with a worker ticking every 20 ms and the scheduled reaper off (tests call it directly). */
public class JobsProfile extends FakeUpstreamProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        Map<String, String> overrides = new HashMap<>(super.getConfigOverrides());
        overrides.put("cli2api.worker.interval", "20ms");
        overrides.put("cli2api.reaper.interval", "0");
        return overrides;
    }
}
