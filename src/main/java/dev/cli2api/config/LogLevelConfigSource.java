package dev.cli2api.config;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * Feeds {@code CLI2API_LOG_LEVEL} into {@code quarkus.log.level} leniently, as the reference reads it:
 * {@code debug}, {@code info}, {@code warn}, {@code error} in any case; anything else means info.
 * Its ordinal sits above application.properties and below real environment variables, so an
 * explicit {@code QUARKUS_LOG_LEVEL} still wins.
 */
public class LogLevelConfigSource implements ConfigSource {

    static final String ENV = "CLI2API_LOG_LEVEL";
    static final String TARGET = "quarkus.log.level";
    private static final int ORDINAL = 260;

    private final Optional<String> level;

    public LogLevelConfigSource() {
        this(System.getenv(ENV));
    }

    LogLevelConfigSource(String raw) {
        this.level = level(raw);
    }

    /** The JBoss level for a raw value; empty when the variable is unset or blank. */
    static Optional<String> level(String raw) {
        if (raw == null || raw.isBlank()) {
            return Optional.empty();
        }
        return Optional.of(switch (raw.trim().toLowerCase(Locale.ROOT)) {
            case "debug" -> "DEBUG";
            case "warn" -> "WARN";
            case "error" -> "ERROR";
            default -> "INFO";
        });
    }

    @Override
    public Map<String, String> getProperties() {
        return level.map(l -> Map.of(TARGET, l)).orElse(Map.of());
    }

    @Override
    public Set<String> getPropertyNames() {
        return getProperties().keySet();
    }

    @Override
    public String getValue(String propertyName) {
        return TARGET.equals(propertyName) ? level.orElse(null) : null;
    }

    @Override
    public String getName() {
        return "cli2api-log-level";
    }

    @Override
    public int getOrdinal() {
        return ORDINAL;
    }
}
