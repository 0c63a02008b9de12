package dev.cli2api.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.smallrye.config.SmallRyeConfigBuilder;

class LogLevelConfigSourceTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({ "debug, DEBUG", "DEBUG, DEBUG", "' Warn ', WARN", "error, ERROR", "info, INFO", "verbose, INFO",
            "trace, INFO" })
    void mapsTheReferenceLevelsCaseInsensitivelyElseInfo(String raw, String expected) {
        var config = new SmallRyeConfigBuilder().withSources(new LogLevelConfigSource(raw)).build();
        assertEquals(expected, config.getRawValue("quarkus.log.level"));
    }

    @ParameterizedTest
    @CsvSource({ "''", "'   '" })
    void unsetLeavesTheQuarkusDefaultAlone(String raw) {
        assertNull(new LogLevelConfigSource(raw).getValue("quarkus.log.level"));
    }
}
