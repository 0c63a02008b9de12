package dev.cli2api.jobs;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

import javax.sql.DataSource;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.cli2api.testsupport.FakeMuleRun;
import dev.cli2api.testsupport.FakeMuleRun.Reply;
import dev.cli2api.testsupport.InjectFakeMuleRun;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;

/** The job POSTs validate in the spec's order (§1.14, §1.17) and store nothing when they refuse. */
@QuarkusTest
@TestProfile(JobsProfile.class)
class JobValidationTest {

    @InjectFakeMuleRun
    FakeMuleRun fake;

    @Inject
    MeterRegistry registry;

    @Inject
    DataSource dataSource;

    private JobRows rows;

    @BeforeEach
    void setUp() {
        fake.reset();
        rows = new JobRows(dataSource);
    }

    @AfterEach
    void tearDown() {
        rows.deleteCreatedAndSettle(registry);
    }

    private void rejects(String route, String body, int status, String type, String message) {
        given()
                .contentType(ContentType.JSON)
                .body(body)
                .when().post(route)
                .then()
                .log().ifValidationFails()
                .statusCode(status)
                .contentType(ContentType.JSON)
                .body("error.type", equalTo(type))
                .body("error.message", equalTo(message));
        assertEquals(0, fake.submits().size());
    }

    @Test
    void shouldRejectMalformedVideoJson() {
        given()
                .contentType(ContentType.JSON)
                .body("{\"model\":")
                .when().post("/v1/videos")
                .then()
                .statusCode(400)
                .body("error.type", equalTo("invalid_request_error"))
                .body("error.message", startsWith("invalid JSON body: "));
    }

    @Test
    void shouldRejectANulCharacterInAnyTextWithA400InsteadOfAStoreError() {
        // a regression: PostgreSQL refused the row, and the client got "500 store: unsupported Unicode escape"
        for (String[] call : new String[][] {
                { "/v1/videos", "{\"model\":\"sora-2\",\"prompt\":\"a\\u0000b\"}" },
                { "/v1/videos", "{\"model\":\"sora-2\",\"prompt\":\"a cat\",\"size\":\"720x1280\\u0000\"}" },
                { "/v1/audio/music", "{\"model\":\"music-2.5\",\"prompt\":\"\\u0000\"}" } }) {
            given()
                    .contentType(ContentType.JSON)
                    .body(call[1])
                    .when().post(call[0])
                    .then()
                    .log().ifValidationFails()
                    .statusCode(400)
                    .body("error.type", equalTo("invalid_request_error"))
                    .body("error.message", equalTo(JobService.NUL_MESSAGE));
        }
    }

    @Test
    void shouldRejectSecondsSentAsANumber() {
        given()
                .contentType(ContentType.JSON)
                .body("{\"model\":\"sora-2\",\"prompt\":\"a cat\",\"seconds\":4}")
                .when().post("/v1/videos")
                .then()
                .log().ifValidationFails()
                .statusCode(400)
                .body("error.message", startsWith("invalid JSON body: "));
    }

    @Test
    void shouldRejectAnEmptyBody() {
        given()
                .contentType(ContentType.JSON)
                .when().post("/v1/videos")
                .then()
                .log().ifValidationFails()
                .statusCode(400)
                .body("error.message", startsWith("invalid JSON body: "));
    }

    @Test
    void shouldRejectVideoWithoutPromptBeforeLookingAtTheModel() {
        rejects("/v1/videos", "{}", 400, "invalid_request_error", "prompt/input is required");
        rejects("/v1/videos", "{\"model\":\"fake-9000\"}", 400, "invalid_request_error", "prompt/input is required");
    }

    @Test
    void shouldRejectVideoWithoutModel() {
        rejects("/v1/videos", "{\"prompt\":\"a cat\"}", 400, "invalid_request_error", "model is required");
    }

    @Test
    void shouldRejectUnknownVideoModel() {
        rejects("/v1/videos", "{\"model\":\"fake-9000\",\"prompt\":\"a cat\"}", 404, "model_not_found",
                "unknown video model: fake-9000");
        rejects("/v1/videos", "{\"model\":\"music-2.5\",\"prompt\":\"a cat\"}", 404, "model_not_found",
                "unknown video model: music-2.5");
    }

    @Test
    void shouldRejectMusicWithoutPromptOrInput() {
        rejects("/v1/audio/music", "{\"model\":\"music-2.5\"}", 400, "invalid_request_error",
                "prompt/input is required");
        rejects("/v1/audio/music", "{\"input\":\"a song\"}", 400, "invalid_request_error", "model is required");
    }

    @Test
    void shouldRejectSpeechAndVideoModelsOnTheMusicRoute() {
        rejects("/v1/audio/music", "{\"model\":\"speech-2.8-hd\",\"prompt\":\"a song\"}", 404, "model_not_found",
                "unknown music model: speech-2.8-hd");
        rejects("/v1/audio/music", "{\"model\":\"sora-2\",\"prompt\":\"a song\"}", 404, "model_not_found",
                "unknown music model: sora-2");
    }

    @Test
    void shouldAcceptMusicWithInputInsteadOfPrompt() {
        fake.onSubmit(Reply.json(503, "{}"));
        rows.track(given()
                .contentType(ContentType.JSON)
                .body("{\"model\":\"music-2.5\",\"input\":\"a song\"}")
                .when().post("/v1/audio/music")
                .then()
                .statusCode(202)
                .body("object", equalTo("audio.job"))
                .body("status", equalTo("queued"))
                .extract().path("id"));
    }
}
