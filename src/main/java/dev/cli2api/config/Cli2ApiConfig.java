package dev.cli2api.config;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithName;

/**
 * Typed view of every {@code CLI2API_*} environment variable. Values are read raw and parsed
 * leniently, as the reference does: trimmed, empty means default, unparsable means default.
 * The defaults live in the default methods, next to the parsing rule they belong to.
 */
@ConfigMapping(prefix = "cli2api")
public interface Cli2ApiConfig {

    Duration DEFAULT_JOB_RETENTION = Duration.ofHours(168);
    Duration DEFAULT_REAPER_INTERVAL = Duration.ofHours(1);
    double DEFAULT_HARD_CAP_MULT = 3.0;
    Duration DEFAULT_IMAGE_TIMEOUT = Duration.ofMinutes(5);
    Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(2);
    Duration DEFAULT_POLL_MAX_INTERVAL = Duration.ofSeconds(10);
    Duration DEFAULT_USAGE_RETENTION = Duration.ofHours(720);
    int DEFAULT_USAGE_BUFFER = 1024;
    Duration DEFAULT_OAUTH_TIMEOUT = Duration.ofSeconds(10);

    /** {@code CLI2API_API_KEYS}: comma-separated inbound allow-list; empty disables inbound auth. */
    @WithName("api-keys")
    Optional<String> apiKeysRaw();

    /** Inbound API keys, trimmed, empty entries dropped. */
    default List<String> apiKeys() {
        return apiKeysRaw().map(raw -> Arrays.stream(raw.split(","))
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .toList())
                .orElse(List.of());
    }

    /** {@code CLI2API_JOB_*}: job retention and reaper hard cap. */
    Job job();

    /** {@code CLI2API_REAPER_*}: how often the reapers run. */
    Reaper reaper();

    /** {@code CLI2API_IMAGE_*}: synchronous generation waits. */
    Image image();

    /** {@code CLI2API_WORKER_*}: the background job worker. */
    Worker worker();

    /** {@code CLI2API_POLL_*}: upstream polling backoff. */
    Poll poll();

    /** {@code CLI2API_USAGE_*}: usage accounting. */
    Usage usage();

    /** {@code CLI2API_TOKEN_CACHE}: OAuth cache path; default {@code ~/.config/mulerun/oauth_cache.json}. */
    @WithName("token-cache")
    Optional<String> tokenCacheRaw();

    /** The OAuth cache path if one was configured (trimmed, non-empty). */
    default Optional<String> tokenCache() {
        return tokenCacheRaw().map(String::trim).filter(s -> !s.isEmpty());
    }

    /** {@code CLI2API_OAUTH_TIMEOUT}: per OAuth call; positive duration or bare seconds, else 10s. */
    @WithName("oauth-timeout")
    Optional<String> oauthTimeoutRaw();

    default Duration oauthTimeout() {
        Duration d = GoDurations.parseOr(oauthTimeoutRaw(), DEFAULT_OAUTH_TIMEOUT);
        return d.isNegative() || d.isZero() ? DEFAULT_OAUTH_TIMEOUT : d;
    }

    /** {@code CLI2API_SANDBOX}: {@code true} runs against the built-in MuleRun simulator, {@code false} never; unset = auto (dev mode without credentials). */
    @WithName("sandbox")
    Optional<String> sandboxRaw();

    /** Sandbox choice: empty = automatic. */
    default Optional<Boolean> sandbox() {
        return sandboxRaw().map(String::trim).map(s -> s.toLowerCase(java.util.Locale.ROOT)).flatMap(s -> switch (s) {
            case "true", "1", "yes", "on" -> Optional.of(true);
            case "false", "0", "no", "off" -> Optional.of(false);
            default -> Optional.empty();
        });
    }

    /** {@code CLI2API_DATABASE_*}: how the service treats its PostgreSQL database. */
    Database database();

    interface Job {
        /** {@code CLI2API_JOB_RETENTION}: job lifetime (168h); ≤ 0 means jobs never expire. */
        @WithName("retention")
        Optional<String> retentionRaw();

        default Duration retention() {
            return GoDurations.parseOr(retentionRaw(), DEFAULT_JOB_RETENTION);
        }

        /** {@code CLI2API_JOB_HARD_CAP_MULT}: finite float in [1, 1000], else 3.0. */
        @WithName("hard-cap-mult")
        Optional<String> hardCapMultRaw();

        default double hardCapMult() {
            return hardCapMultRaw().map(HardCapMultiplier::parse).orElse(DEFAULT_HARD_CAP_MULT);
        }
    }

    interface Reaper {
        /** {@code CLI2API_REAPER_INTERVAL}: reaper tick (1h); ≤ 0 disables the job and usage reapers. */
        @WithName("interval")
        Optional<String> intervalRaw();

        default Duration interval() {
            return GoDurations.parseOr(intervalRaw(), DEFAULT_REAPER_INTERVAL);
        }
    }

    interface Worker {
        /** {@code CLI2API_WORKER_INTERVAL}: how often the worker looks for due jobs (1s); ≤ 0 disables it. */
        @WithName("interval")
        Optional<String> intervalRaw();

        default Duration interval() {
            return GoDurations.parseOr(intervalRaw(), Duration.ofSeconds(1));
        }

        /** {@code CLI2API_WORKER_LEASE}: how long a claimed job belongs to one worker (5m), longer than any upstream call. */
        @WithName("lease")
        Optional<String> leaseRaw();

        default Duration lease() {
            Duration d = GoDurations.parseOr(leaseRaw(), Duration.ofMinutes(5));
            return d.isNegative() || d.isZero() ? Duration.ofMinutes(5) : d;
        }

        /** {@code CLI2API_WORKER_BATCH}: jobs claimed per tick (32); integer > 0. */
        @WithName("batch")
        Optional<String> batchRaw();

        default int batch() {
            return positiveInt(batchRaw(), 32);
        }

        /**
         * {@code CLI2API_WORKER_RATE}: jobs one replica starts per second at most, each one upstream call (a submit or
         * a poll), handed out in even 10 ms steps (1000); 0 = unlimited.
         */
        @WithName("rate")
        Optional<String> rateRaw();

        default int rate() {
            return integer(rateRaw()).map(n -> Math.max(0, n)).orElse(DEFAULT_RATE);
        }

        /** The default {@link #rate()}. */
        int DEFAULT_RATE = 1000;

        /** {@code CLI2API_WORKER_MAX_IN_FLIGHT}: upstream calls one replica keeps open at once (256); integer > 0. */
        @WithName("max-in-flight")
        Optional<String> maxInFlightRaw();

        default int maxInFlight() {
            return positiveInt(maxInFlightRaw(), 256);
        }

    }

    interface Image {
        /** {@code CLI2API_IMAGE_TIMEOUT}: one deadline over submit and polls for images, edits and speech (5m). */
        @WithName("timeout")
        Optional<String> timeoutRaw();

        default Duration timeout() {
            return GoDurations.parseOr(timeoutRaw(), DEFAULT_IMAGE_TIMEOUT);
        }
    }

    interface Poll {
        /** {@code CLI2API_POLL_INTERVAL}: wait before the first poll (2s). */
        @WithName("interval")
        Optional<String> intervalRaw();

        default Duration interval() {
            return GoDurations.parseOr(intervalRaw(), DEFAULT_POLL_INTERVAL);
        }

        /** {@code CLI2API_POLL_MAX_INTERVAL}: backoff ceiling (10s). */
        @WithName("max-interval")
        Optional<String> maxIntervalRaw();

        default Duration maxInterval() {
            return GoDurations.parseOr(maxIntervalRaw(), DEFAULT_POLL_MAX_INTERVAL);
        }
    }

    interface Usage {
        /** {@code CLI2API_USAGE_RETENTION}: usage record lifetime (720h); ≤ 0 keeps records forever. */
        @WithName("retention")
        Optional<String> retentionRaw();

        default Duration retention() {
            return GoDurations.parseOr(retentionRaw(), DEFAULT_USAGE_RETENTION);
        }

        /** {@code CLI2API_USAGE_BUFFER}: bounded queue size for usage records; integer > 0, else 1024. */
        @WithName("buffer")
        Optional<String> bufferRaw();

        default int buffer() {
            return positiveInt(bufferRaw(), DEFAULT_USAGE_BUFFER);
        }
    }

    /** {@code raw} as an integer > 0, else {@code fallback} (absent, not a number, or ≤ 0). */
    private static int positiveInt(Optional<String> raw, int fallback) {
        return integer(raw).filter(n -> n > 0).orElse(fallback);
    }

    /** {@code raw}, trimmed, as an integer; empty when absent or not a number. */
    private static Optional<Integer> integer(Optional<String> raw) {
        return raw.map(String::trim).flatMap(s -> {
            try {
                return Optional.of(Integer.parseInt(s));
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        });
    }

    interface Database {
        /** {@code CLI2API_DATABASE_CREATE}: create the configured database at startup if it is missing (true). */
        @WithName("create")
        Optional<String> createRaw();

        default boolean create() {
            return createRaw().map(String::trim).map(s -> !s.equalsIgnoreCase("false")).orElse(true);
        }
    }
}
