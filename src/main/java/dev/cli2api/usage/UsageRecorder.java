package dev.cli2api.usage;

import java.time.Duration;

import org.jboss.logging.Logger;

import dev.cli2api.api.ApiCallCompleted;
import dev.cli2api.config.Cli2ApiConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Records one usage row per completed authenticated API call (the edge's {@link ApiCallCompleted} event) through a
 * bounded, never-blocking buffer; drains it at shutdown and says how many records backpressure dropped (the store's
 * losses are logged as they happen).
 */
@ApplicationScoped
public class UsageRecorder {

    private static final Logger LOG = Logger.getLogger(UsageRecorder.class);

    private final Cli2ApiConfig config;
    private final UsageStore store;
    private final MeterRegistry metrics;
    private volatile UsageBuffer buffer;

    public UsageRecorder(Cli2ApiConfig config, UsageStore store, MeterRegistry metrics) {
        this.config = config;
        this.store = store;
        this.metrics = metrics;
    }

    void start(@Observes StartupEvent ignored) {
        UsageBuffer started = new UsageBuffer(config.usage().buffer(), store::insert);
        metrics.gauge("cli2api.usage.dropped", started, UsageBuffer::dropped);
        metrics.gauge("cli2api.usage.lost", started, UsageBuffer::lost);
        buffer = started;
    }

    void record(@Observes ApiCallCompleted call) {
        UsageBuffer current = buffer;
        if (current != null) {
            current.offer(toRecord(call));
        }
    }

    /** The stored form of a call: the model and token counts come from what the handlers left on the request. */
    static UsageRecord toRecord(ApiCallCompleted call) {
        return new UsageRecord(call.startedAtMillis() / 1000, call.path(), call.model(), call.status(),
                call.durationMillis(), call.bytesOut(), call.promptTokens(), call.completionTokens(), call.requestId(),
                call.apiKeyFingerprint());
    }

    void stop(@Observes ShutdownEvent ignored) {
        UsageBuffer current = buffer;
        if (current == null) {
            return;
        }
        current.close(Duration.ofSeconds(10));
        if (current.dropped() > 0) {
            LOG.warnf("usage recorder dropped records due to backpressure: dropped=%d", current.dropped());
        }
    }
}
