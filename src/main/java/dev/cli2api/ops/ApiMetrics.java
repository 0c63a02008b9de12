package dev.cli2api.ops;

import java.time.Duration;

import dev.cli2api.api.ApiCallCompleted;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

/**
 * Per-route API metrics from the edge's completion event: {@code cli2api_api_calls_seconds} (a timer
 * tagged by route template, method and status) and {@code cli2api_api_response_bytes_total}.
 */
@Singleton
public class ApiMetrics {

    private final MeterRegistry registry;

    public ApiMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    void onCall(@Observes ApiCallCompleted call) {
        String route = call.route().template();
        String status = Integer.toString(call.status());
        Timer.builder("cli2api.api.calls")
                .description("Completed API calls by route, method and status")
                .tag("route", route)
                .tag("method", call.method())
                .tag("status", status)
                .register(registry)
                .record(Duration.ofMillis(call.durationMillis()));
        registry.counter("cli2api.api.response.bytes", "route", route).increment(call.bytesOut());
    }
}
