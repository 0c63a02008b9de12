package dev.cli2api.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The spec §8.2 table for CLI2API_JOB_HARD_CAP_MULT. */
class HardCapMultiplierTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({ "3, 3.0", "1.5, 1.5", "1, 1.0", "1000, 1000.0", "' 2.5 ', 2.5" })
    void acceptsFiniteValuesFromOneToAThousand(String raw, double expected) {
        assertEquals(expected, HardCapMultiplier.parse(raw));
    }

    @ParameterizedTest(name = "{0} -> fallback 3.0")
    @ValueSource(strings = { "", "abc", "0.5", "0", "-3", "Inf", "+Inf", "-Inf", "NaN", "1e100", "99999", "Infinity",
            "0x10", "2d", "1000.001" })
    void fallsBackToThreeOtherwise(String raw) {
        assertEquals(3.0, HardCapMultiplier.parse(raw));
    }
}
