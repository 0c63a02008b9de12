package dev.cli2api.upstream;

import java.util.Optional;

import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.configuration.ConfigUtils;

/** Which upstream the service talks to: the real MuleRun gateway, or the built-in simulator (sandbox). */
public enum UpstreamMode {

    MULERUN,
    SANDBOX;

    /** Message of the startup failure when no credential exists and the sandbox does not apply (spec §4.1). */
    public static final String NO_CREDENTIALS = "no mulerun credentials found; run `mulerun login` or set MULERUN_TOKEN";

    /**
     * {@code CLI2API_SANDBOX=true} always means the simulator and {@code false} never; unset means the
     * simulator only in development (dev mode or the {@code dev} profile) when no credential was found.
     * Otherwise a missing credential fails startup.
     */
    /** True in dev mode and when the {@code dev} configuration profile is active. */
    public static boolean development() {
        return LaunchMode.current() == LaunchMode.DEVELOPMENT || ConfigUtils.getProfiles().contains("dev");
    }

    public static UpstreamMode decide(Optional<Boolean> sandboxSetting, boolean development, boolean credentialFound) {
        if (sandboxSetting.isPresent()) {
            if (sandboxSetting.get()) {
                return SANDBOX;
            }
        } else if (development && !credentialFound) {
            return SANDBOX;
        }
        if (!credentialFound) {
            throw new IllegalStateException(NO_CREDENTIALS);
        }
        return MULERUN;
    }
}
