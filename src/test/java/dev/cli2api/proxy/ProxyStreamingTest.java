package dev.cli2api.proxy;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.http.HttpServerResponse;

/** Streaming relay: SSE arrives incrementally, cancellation both ways, transport failures, chunked body cap. */
@QuarkusTest
@TestProfile(ProxyProfile.class)
class ProxyStreamingTest {

    private static final String FIRST = "data: {\"choices\":[{\"delta\":{\"content\":\"Hel\"}}]}\n\n";
    private static final String LAST = "data: [DONE]\n\n";

    private final FakeUpstream upstream = FakeUpstream.get();

    @TestHTTPResource("/")
    URL base;

    @BeforeEach
    void reset() {
        upstream.reset();
    }

    /** Upstream answers SSE headers and the first event, then waits for {@code more} before its next step. */
    private void streamFirstEventThen(CompletableFuture<Void> more, java.util.function.Consumer<HttpServerResponse> next) {
        upstream.answer((request, body) -> {
            HttpServerResponse response = request.response().setChunked(true)
                    .putHeader("Content-Type", "text/event-stream");
            response.write(FIRST);
            more.thenRun(() -> next.accept(response));
        });
    }

    private Socket openStream(String path) throws IOException {
        Socket socket = new Socket("127.0.0.1", base.getPort());
        socket.setSoTimeout(10_000);
        byte[] body = "{\"model\":\"gpt-5\",\"stream\":true}".getBytes(StandardCharsets.UTF_8);
        String head = "POST " + path + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + ProxyProfile.KEY
                + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n";
        OutputStream out = socket.getOutputStream();
        out.write(head.getBytes(StandardCharsets.ISO_8859_1));
        out.write(body);
        out.flush();
        return socket;
    }

    private static String readUntil(InputStream in, String marker) throws IOException {
        ByteArrayOutputStream seen = new ByteArrayOutputStream();
        byte[] buffer = new byte[4096];
        while (!seen.toString(StandardCharsets.UTF_8).contains(marker)) {
            int n = in.read(buffer);
            if (n < 0) {
                break;
            }
            seen.write(buffer, 0, n);
        }
        return seen.toString(StandardCharsets.UTF_8);
    }

    @Test
    void sseEventsReachTheClientBeforeUpstreamFinishes() throws Exception {
        CompletableFuture<Void> more = new CompletableFuture<>();
        streamFirstEventThen(more, response -> response.end(LAST));
        HttpClient client = HttpClient.newHttpClient();
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + "v1/chat/completions"))
                .header("Authorization", "Bearer " + ProxyProfile.KEY).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"gpt-5\",\"stream\":true}")).build();
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            HttpResponse<InputStream> response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
            assertEquals(200, response.statusCode());
            assertEquals("text/event-stream", response.headers().firstValue("Content-Type").orElseThrow());
            try (BufferedReader reader = new BufferedReader(
                    new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
                assertEquals(FIRST.trim(), reader.readLine());
                assertFalse(more.isDone(), "the first event arrived while upstream still held the rest");
                more.complete(null);
                assertEquals("", reader.readLine());
                assertEquals(LAST.trim(), reader.readLine());
                assertEquals("", reader.readLine());
                assertEquals(null, reader.readLine());
            }
        });
    }

    @Test
    void clientLeavingMidStreamCancelsTheUpstreamRequest() throws Exception {
        streamFirstEventThen(new CompletableFuture<>(), response -> {
        });
        try (Socket socket = openStream("/v1/chat/completions")) {
            assertTrue(readUntil(socket.getInputStream(), "Hel").contains("Hel"));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> !upstream.closedConnections().isEmpty());
    }

    @Test
    void upstreamDyingMidStreamEndsTheClientStreamWithoutTheFinalChunk() throws Exception {
        CompletableFuture<Void> more = new CompletableFuture<>();
        upstream.answer((request, body) -> {
            request.response().setChunked(true).putHeader("Content-Type", "text/event-stream").write(FIRST);
            more.thenRun(() -> request.connection().close());
        });
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            try (Socket socket = openStream("/v1/messages")) {
                InputStream in = socket.getInputStream();
                String first = readUntil(in, "Hel");
                assertTrue(first.startsWith("HTTP/1.1 200"), first);
                more.complete(null);
                String rest = readUntil(in, "\r\n0\r\n\r\n");
                assertFalse((first + rest).endsWith("\r\n0\r\n\r\n"), "a broken stream must not look complete");
            } catch (java.net.SocketException reset) {
                // a reset is an acceptable way to end the client's stream
            }
        });
    }

    @Test
    void upstreamDyingMidStreamResetsAnHttp2StreamWithAnErrorCode() throws Exception {
        // a regression: over HTTP/2 the stream was reset with NO_ERROR, so curl took the cut answer as complete
        CompletableFuture<Void> more = new CompletableFuture<>();
        upstream.answer((request, body) -> {
            request.response().setChunked(true).putHeader("Content-Type", "text/event-stream").write(FIRST);
            more.thenRun(() -> request.connection().close());
        });
        io.vertx.core.http.HttpClient h2 = upstream.vertx().createHttpClient(new io.vertx.core.http.HttpClientOptions()
                .setProtocolVersion(io.vertx.core.http.HttpVersion.HTTP_2).setHttp2ClearTextUpgrade(false));
        CompletableFuture<Throwable> ended = new CompletableFuture<>();
        try {
            h2.request(io.vertx.core.http.HttpMethod.POST, base.getPort(), "127.0.0.1", "/v1/chat/completions")
                    .compose(request -> request.putHeader("Authorization", "Bearer " + ProxyProfile.KEY)
                            .putHeader("Content-Type", "application/json")
                            .send("{\"model\":\"gpt-5\",\"stream\":true}"))
                    .onSuccess(response -> {
                        response.exceptionHandler(ended::complete);
                        response.handler(chunk -> more.complete(null));
                        response.endHandler(ignored -> ended.complete(null));
                    })
                    .onFailure(ended::complete);
            Throwable outcome = ended.get(20, java.util.concurrent.TimeUnit.SECONDS);
            assertTrue(outcome instanceof io.vertx.core.http.StreamResetException, String.valueOf(outcome));
            assertTrue(((io.vertx.core.http.StreamResetException) outcome).getCode() != 0,
                    "reset with NO_ERROR: a broken stream must not look complete");
        } finally {
            h2.close();
        }
    }

    @Test
    void unreachableUpstreamIs502PlainText() throws Exception {
        upstream.pause();
        try {
            given().header("Authorization", "Bearer " + ProxyProfile.KEY).contentType("application/json")
                    .body("{\"model\":\"gpt-5\"}")
                    .when().post("/v1/responses")
                    .then().statusCode(502)
                    .contentType(containsString("text/plain"))
                    .body(startsWith("upstream request failed: "));
        } finally {
            upstream.restart();
        }
    }

    @Test
    void chunkedBodyOverTheCapIs413() throws Exception {
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            try (Socket socket = new Socket("127.0.0.1", base.getPort())) {
                socket.setSoTimeout(30_000);
                CompletableFuture<String> answer = CompletableFuture.supplyAsync(() -> {
                    try {
                        return readUntil(socket.getInputStream(), "request body too large");
                    } catch (IOException e) {
                        return e.toString();
                    }
                });
                OutputStream out = socket.getOutputStream();
                out.write(("POST /v1/chat/completions HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer "
                        + ProxyProfile.KEY + "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n")
                        .getBytes(StandardCharsets.ISO_8859_1));
                byte[] chunk = new byte[1 << 20];
                byte[] size = (Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.ISO_8859_1);
                try {
                    for (int i = 0; i < 66 && !answer.isDone(); i++) {
                        out.write(size);
                        out.write(chunk);
                        out.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
                    }
                } catch (IOException closedByServer) {
                    // the service stops reading once the cap is passed
                }
                String text = answer.get();
                assertTrue(text.startsWith("HTTP/1.1 413"), text);
                assertTrue(text.contains("request_too_large"), text);
            }
        });
        assertEquals(0, upstream.received().size());
    }
}
