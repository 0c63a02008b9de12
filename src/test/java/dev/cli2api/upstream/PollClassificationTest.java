package dev.cli2api.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ConnectException;
import java.util.Optional;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class PollClassificationTest {

    private static final String PROCESSING = "{\"task_info\":{\"id\":\"t\",\"status\":\"processing\"}}";

    @ParameterizedTest
    @ValueSource(ints = { 401, 408, 425, 429 })
    void retryableClientStatusesAreTransient(int status) {
        PollOutcome outcome = PollOutcome.classify(status, "{\"detail\":\"slow down\"}");
        assertEquals(new PollOutcome.Transient("upstream HTTP " + status + " (transient)"), outcome);
        assertFalse(outcome.done());
    }

    @ParameterizedTest
    @ValueSource(ints = { 500, 502, 503, 504 })
    void serverErrorsAreTransient(int status) {
        assertEquals(new PollOutcome.Transient("upstream HTTP " + status), PollOutcome.classify(status, ""));
    }

    @Test
    void nonJsonBodyIsTransientWhateverTheStatus() {
        assertInstanceOf(PollOutcome.Transient.class, PollOutcome.classify(200, "<html>gateway</html>"));
        assertInstanceOf(PollOutcome.Transient.class, PollOutcome.classify(404, "not json"));
    }

    @ParameterizedTest
    @ValueSource(ints = { 400, 402, 403, 404, 410, 422 })
    void otherClientErrorsEndTheTask(int status) {
        PollOutcome outcome = PollOutcome.classify(status, "{\"detail\":\"gone\"}");
        PollOutcome.Failed failed = assertInstanceOf(PollOutcome.Failed.class, outcome);
        assertEquals("[" + status + "] HTTP " + status + ": task is no longer available", failed.error().message());
        assertTrue(outcome.done());
    }

    @Test
    void clientErrorWithVendorErrorReportsIt() {
        PollOutcome outcome = PollOutcome.classify(400,
                "{\"task_info\":{\"error\":{\"code\":3005,\"title\":\"bad\",\"detail\":\"size\"}}}");
        assertEquals(new PollOutcome.Failed(new VendorError(3005, "bad", "size")), outcome);
    }

    @Test
    void completedAndSucceededAreSuccess() {
        assertInstanceOf(PollOutcome.Succeeded.class,
                PollOutcome.classify(200, "{\"task_info\":{\"status\":\"completed\"},\"images\":[\"u\"]}"));
        assertInstanceOf(PollOutcome.Succeeded.class,
                PollOutcome.classify(200, "{\"task_info\":{\"status\":\"succeeded\"}}"));
    }

    @Test
    void aBodyOfTheWrongShapeIsTransientAsGoFailsToDecodeIt() {
        // a regression: "images":[{"url":"a"},5,null] answered 200 with the URLs "", "5" and "", and
        // "images":"http://a" with no image at all; Go decodes the answer into typed fields and fails on these
        for (String body : new String[] {
                "{\"task_info\":{\"status\":\"completed\"},\"images\":[{\"url\":\"a\"},5,null]}",
                "{\"task_info\":{\"status\":\"completed\"},\"images\":\"http://a\"}",
                "{\"task_info\":{\"status\":\"completed\"},\"audios\":[5]}",
                "{\"task_info\":{\"id\":7,\"status\":\"completed\"}}",
                "{\"task_info\":{\"status\":\"failed\",\"error\":{\"code\":\"3005\"}}}",
                "{\"task_info\":{\"status\":\"failed\",\"error\":{\"code\":3005.5}}}",
                "{\"task_info\":{\"status\":\"failed\",\"error\":{\"code\":1,\"detail\":{\"a\":1}}}}",
                "{\"task_info\":\"gone\"}",
                "[\"x\"]" }) {
            PollOutcome outcome = PollOutcome.classify(200, body);
            assertTrue(assertInstanceOf(PollOutcome.Transient.class, outcome, body).message()
                    .startsWith("decode response: json: cannot unmarshal "), outcome.toString());
        }
        assertEquals("decode response: json: cannot unmarshal number into field images of type string",
                ((PollOutcome.Transient) PollOutcome.classify(200, "{\"images\":[\"a\",5]}")).message());
        // null is fine anywhere, as Go leaves the field as it was
        assertInstanceOf(PollOutcome.Succeeded.class, PollOutcome.classify(200,
                "{\"task_info\":{\"id\":null,\"status\":\"completed\",\"error\":null},\"images\":[\"u\",null],"
                        + "\"videos\":null,\"extra\":{\"x\":[1]}}"));
        assertEquals("[3005] x", ((PollOutcome.Failed) PollOutcome.classify(200,
                "{\"task_info\":{\"status\":\"failed\",\"error\":{\"code\":3005,\"title\":null,\"detail\":\"x\"}}}"))
                .error().message());
    }

    @Test
    void completedWithAnErrorObjectIsAFailure() {
        PollOutcome outcome = PollOutcome.classify(200,
                "{\"task_info\":{\"status\":\"completed\",\"error\":{\"code\":3006,\"title\":\"\",\"detail\":\"nsfw\"}}}");
        assertEquals("[3006] nsfw", assertInstanceOf(PollOutcome.Failed.class, outcome).error().message());
    }

    @Test
    void failedWithoutDiagnosticCarriesTheHttpStatus() {
        PollOutcome outcome = PollOutcome.classify(200, "{\"task_info\":{\"status\":\"failed\"}}");
        assertEquals("[200] failed: task failed without diagnostic",
                assertInstanceOf(PollOutcome.Failed.class, outcome).error().message());
    }

    @Test
    void failedWithVendorError() {
        PollOutcome outcome = PollOutcome.classify(200,
                "{\"task_info\":{\"status\":\"failed\",\"error\":{\"code\":3001,\"title\":\"policy\",\"detail\":\"no\"}}}");
        assertEquals("[3001] policy: no", assertInstanceOf(PollOutcome.Failed.class, outcome).error().message());
    }

    @Test
    void missingStatusIsATerminalFailure() {
        PollOutcome outcome = PollOutcome.classify(200, "{\"task_info\":{\"id\":\"t\"}}");
        assertEquals("[200] empty status: upstream returned 2xx with no status field",
                assertInstanceOf(PollOutcome.Failed.class, outcome).error().message());
        assertEquals("[200] empty status: upstream returned 2xx with no status field",
                ((PollOutcome.Failed) PollOutcome.classify(200, "")).error().message());
    }

    @ParameterizedTest
    @ValueSource(strings = { "pending", "queued", "running", "processing", "rendering" })
    void otherStatusesAreStillRunning(String status) {
        PollOutcome outcome = PollOutcome.classify(200, PROCESSING.replace("processing", status));
        assertEquals(new PollOutcome.Running(status), outcome);
        assertFalse(outcome.done());
    }

    @Test
    void transportErrorsAreTransient() {
        assertEquals(new PollOutcome.Transient("Connection refused"),
                PollOutcome.transportError(new jakarta.ws.rs.ProcessingException(new ConnectException("Connection refused"))));
    }

    @Test
    void submitClassification() {
        assertEquals(new SubmitOutcome.Accepted("t1"),
                SubmitOutcome.classify(202, "{\"task_info\":{\"id\":\"t1\",\"status\":\"pending\"}}"));
        assertEquals(new SubmitOutcome.Rejected(402, "upstream HTTP 402", Optional.empty()),
                SubmitOutcome.classify(402, "{\"detail\":\"credits\"}"));
        assertEquals("[3005] title: detail", ((SubmitOutcome.Rejected) SubmitOutcome.classify(400,
                "{\"task_info\":{\"error\":{\"code\":3005,\"title\":\"title\",\"detail\":\"detail\"}}}")).message());
        assertEquals("upstream returned HTTP 200 without task id",
                ((SubmitOutcome.Rejected) SubmitOutcome.classify(200, "")).message());
        assertTrue(((SubmitOutcome.Rejected) SubmitOutcome.classify(202, "oops")).message()
                .startsWith("decode response: "));
        SubmitOutcome refused = SubmitOutcome.transportError(new ConnectException("Connection refused"));
        assertEquals(new SubmitOutcome.Unreachable("Connection refused", true), refused);
    }
}
