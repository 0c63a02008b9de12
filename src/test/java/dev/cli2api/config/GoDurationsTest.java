package dev.cli2api.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class GoDurationsTest {

    @ParameterizedTest(name = "{0} -> {1} ms")
    @CsvSource({
            "5m, 300000",
            "1h30m, 5400000",
            "0, 0",
            "0s, 0",
            "30, 30000",
            "-3, -3000",
            "-5m, -300000",
            "+2s, 2000",
            "1.5s, 1500",
            "300ms, 300",
            "'  10s ', 10000",
            "168h, 604800000",
            "2h45m30.5s, 9930500",
            "2000us, 2",
            ".5s, 500",
    })
    void parsesGoSyntaxAndBareSeconds(String raw, long millis) {
        assertEquals(Duration.ofMillis(millis), GoDurations.parse(raw).orElseThrow());
    }

    @ParameterizedTest
    @ValueSource(strings = { "", "   ", "abc", "m", "5 m", "1d", "5M", "--5s", "1.2.3s", "s5", "1e3s", "- 5s",
        "10000000000", "2562048h" })
    void rejectsWhatGoRejects(String raw) {
        assertTrue(GoDurations.parse(raw).isEmpty(), raw);
    }

    @ParameterizedTest(name = "{0} ms prints {1}")
    @CsvSource({
            "300000, 5m0s",
            "604800000, 168h0m0s",
            "3600000, 1h0m0s",
            "2000, 2s",
            "1500, 1.5s",
            "0, 0s",
            "300, 300ms",
            "2592000000, 720h0m0s",
            "-2000, -2s",
    })
    void formatsLikeGo(long millis, String expected) {
        assertEquals(expected, GoDurations.format(Duration.ofMillis(millis)));
    }

    @Test
    void printsADurationPastGosRangeAsGosLargest() {
        // a regression: printing one (retention × hard-cap multiplier in the reaper's start line) failed startup
        assertEquals("2562047h47m16.854775807s", GoDurations.format(GoDurations.MAX));
        assertEquals("2562047h47m16.854775807s", GoDurations.format(Duration.ofDays(1_000_000)));
        assertEquals("-2562047h47m16.854775807s", GoDurations.format(Duration.ofDays(-1_000_000)));
    }
}
