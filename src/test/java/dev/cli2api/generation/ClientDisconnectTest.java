package dev.cli2api.generation;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.cli2api.api.ApiCallCompleted;
import dev.cli2api.testsupport.FakeMuleRun;
import dev.cli2api.testsupport.FakeMuleRun.Reply;
import dev.cli2api.testsupport.FakeUpstreamProfile;
import dev.cli2api.testsupport.InjectFakeMuleRun;
import dev.cli2api.testsupport.RecordedCalls;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;

@QuarkusTest
@TestProfile(FakeUpstreamProfile.class)
class ClientDisconnectTest {

    @InjectFakeMuleRun
    FakeMuleRun fake;

    @Inject
    RecordedCalls calls;

    @ConfigProperty(name = "quarkus.http.test-port")
    int port;

    @BeforeEach
    void reset() {
        fake.reset();
        fake.onPolls(Reply.status("processing"));
    }

    @Test
    void shouldStopPollingWhenTheClientGoesAway() throws Exception {
        byte[] body = "{\"model\":\"gpt-image-2\",\"prompt\":\"a cat\"}".getBytes(StandardCharsets.UTF_8);
        try (Socket socket = new Socket("127.0.0.1", port)) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST /v1/images/generations HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                    + "X-Request-Id: gone-before-the-answer\r\n"
                    + "Content-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.write(body);
            out.flush();
            await().atMost(Duration.ofSeconds(2)).until(() -> fake.polls().size() >= 2);
        }
        // after the close, at most one poll already in flight may still land
        await().pollDelay(Duration.ofMillis(150)).atMost(Duration.ofSeconds(1)).until(() -> true);
        int afterClose = fake.polls().size();
        Thread.sleep(400);
        assertEquals(afterClose, fake.polls().size());
        // recorded as the reference reports it (spec §2.5: the same timeout error, a 502), not as the unwritten
        // answer's default 200, which counted an abandoned call as a success
        ApiCallCompleted call = calls.byRequestId("gone-before-the-answer");
        assertEquals(502, call.status());
        assertEquals(0, call.bytesOut());
    }

    @Test
    void aFormEditWhoseClientLeavesDuringTheWaitIsA502() throws Exception {
        // a regression: a multipart edit (body whole, job submitted and paid for) whose client left during the wait
        // was recorded as 400, the status of a client gone before it had sent its body; the JSON edit was a 502
        String boundary = "b0undary";
        byte[] body = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"model\"\r\n\r\ngpt-image-2-edit\r\n"
                + "--" + boundary + "\r\nContent-Disposition: form-data; name=\"prompt\"\r\n\r\na hat\r\n"
                + "--" + boundary + "\r\nContent-Disposition: form-data; name=\"image\"; filename=\"a.png\"\r\n"
                + "Content-Type: image/png\r\n\r\n\u0089PNG\r\n\u001a\n\r\n--" + boundary + "--\r\n")
                .getBytes(StandardCharsets.ISO_8859_1);
        try (Socket socket = new Socket("127.0.0.1", port)) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST /v1/images/edits HTTP/1.1\r\nHost: localhost\r\n"
                    + "Content-Type: multipart/form-data; boundary=" + boundary + "\r\n"
                    + "X-Request-Id: form-gone-before-the-answer\r\n"
                    + "Content-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.write(body);
            out.flush();
            await().atMost(Duration.ofSeconds(2)).until(() -> fake.polls().size() >= 1);
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> calls.byRequestId("form-gone-before-the-answer") != null);
        assertEquals(1, fake.submits().size());
        assertEquals(502, calls.byRequestId("form-gone-before-the-answer").status());
    }
}
