package dev.cli2api.api;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.cli2api.proxy.FakeUpstream;
import dev.cli2api.proxy.ProxyProfile;
import dev.cli2api.testsupport.RecordedCalls;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;

/**
 * A proxied call whose client went away before any answer was written is a 502 in usage accounting and in the
 * access log, as the reference's proxies answer a cancelled upstream call; it was the unwritten answer's default 200,
 * which counted an abandoned call as a success.
 */
@QuarkusTest
@TestProfile(ProxyProfile.class)
class AbandonedCallTest {

    private final FakeUpstream upstream = FakeUpstream.get();

    @Inject
    RecordedCalls calls;

    @Inject
    AccessLog accessLog;

    @ConfigProperty(name = "quarkus.http.test-port")
    int port;

    private AccessLines lines;

    @BeforeEach
    void setUp() {
        upstream.reset();
        lines = new AccessLines(accessLog);
        lines.start();
    }

    @AfterEach
    void tearDown() {
        lines.stop();
        upstream.reset();
    }

    @Test
    void aProxiedCallAbandonedBeforeItsAnswerIsA502() throws Exception {
        upstream.answer((request, body) -> {
            // never answers: the client gives up first
        });
        for (String path : new String[] {"/v1/chat/completions", "/v1/responses", "/v1/messages"}) {
            String requestId = "abandoned" + path.replace('/', '-');
            int before = upstream.received().size();
            byte[] body = "{\"model\":\"gpt-5\",\"messages\":[]}".getBytes(StandardCharsets.UTF_8);
            try (Socket socket = new Socket("127.0.0.1", port)) {
                OutputStream out = socket.getOutputStream();
                out.write(("POST " + path + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                        + "Authorization: Bearer " + ProxyProfile.KEY + "\r\nX-Request-Id: " + requestId + "\r\n"
                        + "Content-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
                out.write(body);
                out.flush();
                await().atMost(Duration.ofSeconds(5)).until(() -> upstream.received().size() > before);
            }

            await().atMost(Duration.ofSeconds(5)).until(() -> calls.byRequestId(requestId) != null);
            ApiCallCompleted call = calls.byRequestId(requestId);
            assertEquals(502, call.status(), path);
            assertEquals(0, call.bytesOut(), path);
            JsonNode line = lines.lineFor(requestId);
            assertEquals(502, line.path("status").asInt(), path);
            assertEquals(0, line.path("bytes").asInt(), path);
        }
    }

    @Test
    void aJobCallWhoseClientLeavesMidBodyIsA400() throws Exception {
        // a regression: a video or music job whose client left before sending all of its body was recorded (usage
        // and access line) with the unwritten answer's 200, and logged an ERROR "unhandled error" with a stack trace
        for (String path : new String[] {"/v1/videos", "/v1/audio/music"}) {
            String requestId = "cut-body" + path.replace('/', '-');
            try (Socket socket = new Socket("127.0.0.1", port)) {
                OutputStream out = socket.getOutputStream();
                out.write(("POST " + path + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                        + "Authorization: Bearer " + ProxyProfile.KEY + "\r\nX-Request-Id: " + requestId + "\r\n"
                        + "Content-Length: 100000\r\n\r\n{\"model\":\"sora-2\",\"prompt\":\"a cat")
                        .getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
                Thread.sleep(200); // the edge has taken the head and is reading the body
            }

            await().atMost(Duration.ofSeconds(5)).until(() -> calls.byRequestId(requestId) != null);
            assertEquals(400, calls.byRequestId(requestId).status(), path);
            assertEquals(400, lines.lineFor(requestId).path("status").asInt(), path);
        }
    }
}
