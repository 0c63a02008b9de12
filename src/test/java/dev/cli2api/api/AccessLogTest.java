package dev.cli2api.api;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

/** Spec §1.1 step 4: one access line per request, with method, path, status, bytes, duration and request id. */
@QuarkusTest
class AccessLogTest {

    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            lines.add(record.getMessage());
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void attach() {
        Logger.getLogger("cli2api.http").addHandler(capture);
    }

    @AfterEach
    void detach() {
        Logger.getLogger("cli2api.http").removeHandler(capture);
    }

    private String lineFor(String requestId) {
        await().atMost(Duration.ofSeconds(10))
                .until(() -> lines.stream().anyMatch(line -> line.endsWith(" request_id=" + requestId)));
        return lines.stream().filter(line -> line.endsWith(" request_id=" + requestId)).findFirst().orElseThrow();
    }

    @Test
    void logsOneLinePerRequestWithItsFields() {
        int bytes = given().header("X-Request-Id", "log-models-1").when().get("/v1/models").then().statusCode(200)
                .extract().asByteArray().length;

        String line = lineFor("log-models-1");
        assertTrue(line.matches("http method=GET path=/v1/models status=200 bytes=" + bytes
                + " duration_ms=\\d+ request_id=log-models-1"), line);
        assertTrue(lines.stream().filter(l -> l.endsWith(" request_id=log-models-1")).count() == 1, lines::toString);
    }

    @Test
    void logsUnknownPathsWrongMethodsAndJobGetsWithTheirRealStatus() {
        given().header("X-Request-Id", "log-unknown-1").when().get("/v1/nope").then().statusCode(404);
        given().header("X-Request-Id", "log-job-1").when().get("/v1/videos/video_aaaaaaaaaaaaaaaa").then()
                .statusCode(404);

        given().header("X-Request-Id", "log-method-1").when().post("/v1/models").then().statusCode(405);

        // the status and size the client got, not the defaults before the answer was written (a regression)
        assertTrue(lineFor("log-unknown-1").startsWith("http method=GET path=/v1/nope status=404 bytes=18 "),
                lines::toString);
        assertTrue(lineFor("log-method-1").startsWith("http method=POST path=/v1/models status=405 bytes=0 "),
                lines::toString);
        assertTrue(lineFor("log-job-1").startsWith("http method=GET path=/v1/videos/video_aaaaaaaaaaaaaaaa status=404 "),
                lines::toString);
    }
}
