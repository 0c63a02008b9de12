package dev.cli2api.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.quarkus.runtime.LaunchMode;

class UpstreamModeTest {

    @Test
    void credentialMeansMuleRunUnlessSandboxIsForced() {
        assertEquals(UpstreamMode.MULERUN, UpstreamMode.decide(Optional.empty(), LaunchMode.NORMAL, true));
        assertEquals(UpstreamMode.MULERUN, UpstreamMode.decide(Optional.empty(), LaunchMode.DEVELOPMENT, true));
        assertEquals(UpstreamMode.SANDBOX, UpstreamMode.decide(Optional.of(true), LaunchMode.NORMAL, true));
    }

    @Test
    void devModeWithoutCredentialsFallsBackToTheSandbox() {
        assertEquals(UpstreamMode.SANDBOX, UpstreamMode.decide(Optional.empty(), LaunchMode.DEVELOPMENT, false));
    }

    @Test
    void productionWithoutCredentialsFailsWithTheSpecMessage() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> UpstreamMode.decide(Optional.empty(), LaunchMode.NORMAL, false));
        assertEquals("no mulerun credentials found; run `mulerun login` or set MULERUN_TOKEN", e.getMessage());
    }

    @Test
    void sandboxSwitchedOffMeansNoFallbackEvenInDevMode() {
        assertThrows(IllegalStateException.class,
                () -> UpstreamMode.decide(Optional.of(false), LaunchMode.DEVELOPMENT, false));
    }
}
