package dev.cli2api.api;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;

/**
 * Spec §1.1 step 4: one JSON access line per request, message {@code "http"}, with method, path, status, bytes,
 * duration and request id as fields of their own; also for 404, 405 and preflight requests.
 */
@QuarkusTest
class AccessLogTest {

    @Inject
    AccessLog accessLog;

    private AccessLines lines;

    @BeforeEach
    void capture() {
        lines = new AccessLines(accessLog);
        lines.start();
    }

    @AfterEach
    void restore() {
        lines.stop();
    }

    private List<JsonNode> linesFor(String requestId) throws Exception {
        return lines.linesFor(requestId);
    }

    private JsonNode lineFor(String requestId) throws Exception {
        return lines.lineFor(requestId);
    }

    @Test
    void logsOneJsonLinePerRequestWithItsFields() throws Exception {
        int bytes = given().header("X-Request-Id", "log-models-1").when().get("/v1/models").then().statusCode(200)
                .extract().asByteArray().length;

        JsonNode line = lineFor("log-models-1");
        assertEquals("http", line.path("message").asText());
        assertEquals("INFO", line.path("level").asText());
        assertEquals("cli2api.http", line.path("loggerName").asText());
        assertEquals("GET", line.path("method").asText());
        assertEquals("/v1/models", line.path("path").asText());
        assertEquals(200, line.path("status").asInt());
        assertEquals(bytes, line.path("bytes").asInt());
        assertTrue(line.path("duration_ms").isIntegralNumber() && line.path("duration_ms").asLong() >= 0,
                line::toString);
        assertTrue(line.path("timestamp").asText().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z"),
                line::toString);
    }

    @Test
    void logsUnknownPathsWrongMethodsPreflightsAndJobGetsWithTheirRealStatus() throws Exception {
        given().header("X-Request-Id", "log-unknown-1").when().get("/v1/nope").then().statusCode(404);
        given().header("X-Request-Id", "log-job-1").when().get("/v1/videos/video_aaaaaaaaaaaaaaaa").then()
                .statusCode(404);
        given().header("X-Request-Id", "log-method-1").when().post("/v1/models").then().statusCode(405);
        given().header("X-Request-Id", "log-options-1").header("Origin", "https://app.example")
                .when().options("/v1/chat/completions").then().statusCode(204);

        // the status and size the client got, not the defaults before the answer was written (a regression)
        JsonNode unknown = lineFor("log-unknown-1");
        assertEquals("/v1/nope", unknown.path("path").asText());
        assertEquals(404, unknown.path("status").asInt());
        assertEquals(18, unknown.path("bytes").asInt());
        JsonNode method = lineFor("log-method-1");
        assertEquals("POST", method.path("method").asText());
        assertEquals(405, method.path("status").asInt());
        assertEquals(0, method.path("bytes").asInt());
        JsonNode job = lineFor("log-job-1");
        assertEquals("/v1/videos/video_aaaaaaaaaaaaaaaa", job.path("path").asText());
        assertEquals(404, job.path("status").asInt());
        JsonNode preflight = lineFor("log-options-1");
        assertEquals("OPTIONS", preflight.path("method").asText());
        assertEquals(204, preflight.path("status").asInt());
    }
}
