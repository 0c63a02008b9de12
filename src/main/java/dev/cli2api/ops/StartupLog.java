package dev.cli2api.ops;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import dev.cli2api.Main;
import dev.cli2api.api.ApiKeys;
import dev.cli2api.catalog.ModelCatalog;
import dev.cli2api.config.Cli2ApiConfig;
import dev.cli2api.config.GoDurations;
import dev.cli2api.upstream.MuleRunUpstream;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

/**
 * The {@code startup} log line of spec §9.1 (with secrets redacted) and the {@code shutdown
 * initiated} line; warns about reference variables this design replaces.
 */
@Singleton
public class StartupLog {

    private static final Logger LOG = Logger.getLogger("cli2api");
    static final int PRIORITY = 100;

    private final Cli2ApiConfig config;
    private final MuleRunUpstream upstream;
    private final ModelCatalog catalog;
    private final ApiKeys apiKeys;
    private final String jdbcUrl;
    private final int port;

    public StartupLog(Cli2ApiConfig config, MuleRunUpstream upstream, ModelCatalog catalog, ApiKeys apiKeys,
            @ConfigProperty(name = "quarkus.datasource.jdbc.url") String jdbcUrl,
            @ConfigProperty(name = "quarkus.http.port") int port) {
        this.config = config;
        this.upstream = upstream;
        this.catalog = catalog;
        this.apiKeys = apiKeys;
        this.jdbcUrl = jdbcUrl;
        this.port = port;
    }

    void onStart(@Observes @Priority(PRIORITY) StartupEvent event) {
        requirePort(port);
        for (String replaced : new String[] { "CLI2API_JOBSTORE_DSN", "CLI2API_USAGE_DSN" }) {
            if (Optional.ofNullable(System.getenv(replaced)).filter(s -> !s.isBlank()).isPresent()) {
                LOG.warnf("%s is ignored: jobs and usage live in PostgreSQL (set QUARKUS_DATASOURCE_JDBC_URL)", replaced);
            }
        }
        LOG.info("startup " + render(fields()));
    }

    /**
     * Stops startup unless {@code port} is a TCP port (0 lets the system pick one, as Go's {@code :0}): Vert.x took
     * {@code CLI2API_PORT=-1} as 0 too, listening on a random port while the startup line said {@code addr=:-1}.
     */
    static void requirePort(int port) {
        if (port < 0 || port > 65_535) {
            throw new IllegalStateException("config: CLI2API_PORT must be a port number from 0 to 65535, not " + port);
        }
    }

    public Map<String, Object> fields() {
        String database = "postgresql:" + DsnRedaction.redact(jdbcUrl);
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("version", Main.version());
        f.put("addr", ":" + port);
        f.put("upstream", upstream.baseUrl());
        f.put("upstream_mode", upstream.mode().name().toLowerCase());
        f.put("token_source", upstream.tokenSource());
        f.put("image_timeout", GoDurations.format(config.image().timeout()));
        f.put("poll_interval", GoDurations.format(config.poll().interval()));
        f.put("poll_max_interval", GoDurations.format(config.poll().maxInterval()));
        f.put("registered_models", catalog.registeredCount());
        f.put("auth_required", apiKeys.required());
        f.put("jobstore", database);
        f.put("job_retention", GoDurations.format(config.job().retention()));
        f.put("reaper_interval", GoDurations.format(config.reaper().interval()));
        f.put("job_hard_cap_mult", config.job().hardCapMult());
        f.put("usage_store", database);
        f.put("usage_retention", GoDurations.format(config.usage().retention()));
        return f;
    }

    static String render(Map<String, Object> fields) {
        return fields.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(" "));
    }

    void onStop(@Observes ShutdownEvent event) {
        // in-flight requests get quarkus.shutdown.timeout (15s) to finish
        LOG.info("shutdown initiated");
    }
}
