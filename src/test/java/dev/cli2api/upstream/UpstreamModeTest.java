package dev.cli2api.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Optional;

import org.junit.jupiter.api.Test;

class UpstreamModeTest {

    @Test
    void credentialMeansMuleRunUnlessSandboxIsForced() {
        assertEquals(UpstreamMode.MULERUN, UpstreamMode.decide(Optional.empty(), false, true));
        assertEquals(UpstreamMode.MULERUN, UpstreamMode.decide(Optional.empty(), true, true));
        assertEquals(UpstreamMode.SANDBOX, UpstreamMode.decide(Optional.of(true), false, true));
    }

    @Test
    void devModeWithoutCredentialsFallsBackToTheSandbox() {
        assertEquals(UpstreamMode.SANDBOX, UpstreamMode.decide(Optional.empty(), true, false));
    }

    @Test
    void productionWithoutCredentialsFailsWithTheSpecMessage() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> UpstreamMode.decide(Optional.empty(), false, false));
        assertEquals("no mulerun credentials found; run `mulerun login` or set MULERUN_TOKEN", e.getMessage());
    }

    @Test
    void sandboxSwitchedOffMeansNoFallbackEvenInDevMode() {
        assertThrows(IllegalStateException.class,
                () -> UpstreamMode.decide(Optional.of(false), true, false));
    }
}
