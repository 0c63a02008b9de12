package dev.cli2api.ops;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** Startup stops on a port that is none, as the reference's listen does. */
class StartupLogTest {

    @Test
    void aPortOutsideTheTcpRangeStopsStartup() {
        // a regression: CLI2API_PORT=-1 listened on a random port while the startup line said addr=:-1
        for (int port : new int[] {-1, 65_536, 70_000}) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> StartupLog.requirePort(port));
            assertEquals("config: CLI2API_PORT must be a port number from 0 to 65535, not " + port, e.getMessage());
        }
        for (int port : new int[] {0, 1, 51_222, 65_535}) {
            assertDoesNotThrow(() -> StartupLog.requirePort(port));
        }
    }
}
