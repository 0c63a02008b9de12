package dev.cli2api.sandbox;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

/** Starts one simulator on an ephemeral port per test class and talks to it over real HTTP. */
abstract class SimulatorTestBase {

    static final String TOKEN = "Bearer muk-test";
    static final Duration STREAM_DELAY = Duration.ofMillis(20);

    static Vertx vertx;
    static MuleRunSimulator simulator;
    static HttpClient http;

    @BeforeAll
    static void startSimulator() {
        vertx = Vertx.vertx();
        simulator = new MuleRunSimulator(vertx, STREAM_DELAY);
        simulator.start(0);
        http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    @AfterAll
    static void stopSimulator() {
        simulator.stop();
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    @BeforeEach
    void resetSimulator() {
        simulator.reset();
    }

    /** A request to {@code path} on the simulator with the given header name/value pairs. */
    static HttpRequest.Builder request(String path, String... headers) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(simulator.baseUrl() + path))
                .timeout(Duration.ofSeconds(10));
        return headers.length == 0 ? builder : builder.headers(headers);
    }

    static HttpResponse<String> post(String path, String body, String... headers) {
        return send(request(path, headers).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> get(String path, String... headers) {
        return send(request(path, headers).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<byte[]> getBytes(URI uri) {
        return send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    /** POSTs {@code body} and reads the answer line by line, noting when each line arrived. */
    static StreamedLines postStreaming(String path, String body, String... headers) {
        HttpResponse<Stream<String>> response = send(request(path, headers)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofLines());
        List<String> lines = new ArrayList<>();
        List<Long> arrivals = new ArrayList<>();
        try (Stream<String> stream = response.body()) {
            stream.forEach(line -> {
                lines.add(line);
                arrivals.add(System.nanoTime());
            });
        }
        return new StreamedLines(response, lines, arrivals);
    }

    static JsonObject json(HttpResponse<String> response) {
        return new JsonObject(response.body());
    }

    private static <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
        try {
            return http.send(request, handler);
        } catch (IOException e) {
            throw new IllegalStateException("request to the simulator failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** An SSE answer as received: its lines and the {@link System#nanoTime()} each one arrived at. */
    record StreamedLines(HttpResponse<?> response, List<String> lines, List<Long> arrivals) {

        /** The JSON payloads of the {@code data:} lines, {@code [DONE]} excluded. */
        List<JsonObject> dataObjects() {
            return lines.stream()
                    .filter(line -> line.startsWith("data: ") && !line.equals("data: [DONE]"))
                    .map(line -> new JsonObject(line.substring("data: ".length())))
                    .toList();
        }

        /** The names of the {@code event:} lines, in order. */
        List<String> eventNames() {
            return lines.stream()
                    .filter(line -> line.startsWith("event: "))
                    .map(line -> line.substring("event: ".length()))
                    .toList();
        }

        /** Milliseconds between the first line and the last one. */
        long spreadMillis() {
            return Duration.ofNanos(arrivals.get(arrivals.size() - 1) - arrivals.get(0)).toMillis();
        }
    }
}
