package dev.cli2api.jobs;

import java.util.HashMap;
import java.util.Map;

import dev.cli2api.testsupport.WithApiKeys;

/** {@link JobsProfile} with inbound auth on (the keys of {@link WithApiKeys}). */
public class JobsWithKeysProfile extends JobsProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        Map<String, String> overrides = new HashMap<>(super.getConfigOverrides());
        overrides.putAll(new WithApiKeys().getConfigOverrides());
        return overrides;
    }
}
