package dev.cli2api.ops;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import dev.cli2api.api.ApiCallCompleted;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

/**
 * Per-route API metrics from the edge's completion event: {@code cli2api_api_calls_seconds} (a timer
 * tagged by route template, method and status) and {@code cli2api_api_response_bytes_total}. Meters are
 * looked up once per tag combination and kept, so a call costs a map lookup, not a registration.
 */
@Singleton
public class ApiMetrics {

    private record CallKey(String route, String method, int status) {
    }

    private final MeterRegistry registry;
    private final Map<CallKey, Timer> timers = new ConcurrentHashMap<>();
    private final Map<String, Counter> bytes = new ConcurrentHashMap<>();

    public ApiMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    void onCall(@Observes ApiCallCompleted call) {
        String route = call.route().template();
        timers.computeIfAbsent(new CallKey(route, call.method(), call.status()), key -> Timer.builder("cli2api.api.calls")
                .description("Completed API calls by route, method and status")
                .tag("route", key.route())
                .tag("method", key.method())
                .tag("status", Integer.toString(key.status()))
                .register(registry))
                .record(call.durationMillis(), TimeUnit.MILLISECONDS);
        bytes.computeIfAbsent(route, r -> registry.counter("cli2api.api.response.bytes", "route", r))
                .increment(call.bytesOut());
    }
}
