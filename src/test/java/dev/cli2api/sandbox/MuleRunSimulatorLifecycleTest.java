package dev.cli2api.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.vertx.core.Vertx;

class MuleRunSimulatorLifecycleTest {

    private Vertx vertx;
    private MuleRunSimulator simulator;

    @BeforeEach
    void createSimulator() {
        vertx = Vertx.vertx();
        simulator = new MuleRunSimulator(vertx);
    }

    @AfterEach
    void closeVertx() {
        simulator.stop();
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    @Test
    void shouldListenOnEphemeralLoopbackPortUntilStopped() throws Exception {
        int port = simulator.start(0);

        assertTrue(port > 0);
        assertEquals("http://127.0.0.1:" + port, simulator.baseUrl());
        assertEquals(200, fetch(simulator.baseUrl() + "/assets/sample.png"));

        String baseUrl = simulator.baseUrl();
        simulator.stop();

        assertThrows(IllegalStateException.class, simulator::baseUrl);
        assertThrows(ConnectException.class, () -> fetch(baseUrl + "/assets/sample.png"));
    }

    @Test
    void shouldStartAgainAfterStop() throws Exception {
        simulator.start(0);
        simulator.stop();

        simulator.start(0);

        assertEquals(200, fetch(simulator.baseUrl() + "/assets/sample.mp3"));
    }

    @Test
    void shouldRefuseSecondStart() {
        simulator.start(0);

        assertThrows(IllegalStateException.class, () -> simulator.start(0));
    }

    @Test
    void shouldReportBusyPortAndStayStoppable() {
        int port = simulator.start(0);
        MuleRunSimulator second = new MuleRunSimulator(vertx);

        assertThrows(IllegalStateException.class, () -> second.start(port));

        second.stop();
        assertThrows(IllegalStateException.class, second::baseUrl);
    }

    @Test
    void shouldRefuseBlockingStartOnEventLoop() throws Exception {
        CompletableFuture<Throwable> thrown = new CompletableFuture<>();
        vertx.runOnContext(ignored -> {
            try {
                simulator.start(0);
                thrown.complete(null);
            } catch (RuntimeException e) {
                thrown.complete(e);
            }
        });

        assertInstanceOf(IllegalStateException.class, thrown.get(10, TimeUnit.SECONDS));
    }

    @Test
    void shouldStartAsynchronouslyOnEventLoop() throws Exception {
        CompletableFuture<Integer> port = new CompletableFuture<>();
        vertx.runOnContext(ignored -> simulator.startAsync(0)
                .onSuccess(port::complete)
                .onFailure(port::completeExceptionally));

        int bound = port.get(10, TimeUnit.SECONDS);

        assertEquals(simulator.port(), bound);
    }

    private static int fetch(String url) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).GET().build();
        return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
