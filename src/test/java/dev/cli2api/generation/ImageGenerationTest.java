package dev.cli2api.generation;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.Base64;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.cli2api.testsupport.FakeMuleRun;
import dev.cli2api.testsupport.FakeMuleRun.Reply;
import dev.cli2api.testsupport.FakeUpstreamProfile;
import dev.cli2api.testsupport.InjectFakeMuleRun;
import dev.cli2api.testsupport.JsonErrors;
import dev.cli2api.testsupport.RecordedCalls;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;

@QuarkusTest
@TestProfile(FakeUpstreamProfile.class)
class ImageGenerationTest {

    private static final String ROUTE = "/v1/images/generations";

    @InjectFakeMuleRun
    FakeMuleRun fake;

    @Inject
    RecordedCalls calls;

    @BeforeEach
    void reset() {
        fake.reset();
    }

    @Test
    void shouldReturnTheImageUrlsOfTheCompletedTask() {
        fake.onPolls(Reply.status("processing"), Reply.completed("images", "https://cdn/1.png", "https://cdn/2.png"));

        given().contentType(ContentType.JSON)
                .body("{\"model\":\"wan2.6-t2i\",\"prompt\":\"a cat\",\"size\":\"1024x1024\",\"n\":2}")
        .when().post(ROUTE)
        .then().log().ifValidationFails()
                .statusCode(200)
                .contentType(startsWith("application/json"))
                .body("created", notNullValue())
                .body("data", hasSize(2))
                .body("data[0].url", equalTo("https://cdn/1.png"))
                .body("data[1].url", equalTo("https://cdn/2.png"));

        FakeMuleRun.Received submit = fake.submits().get(0);
        assertEquals("/vendors/alibaba/v1/wan2.6-t2i/generation", submit.path());
        assertEquals("{\"prompt\":\"a cat\",\"size\":\"1024*1024\",\"n\":2}", submit.body());
    }

    @Test
    void shouldHandTheModelToUsageAccountingForGenerationsAndEdits() {
        fake.onPolls(Reply.completed("images", "https://cdn/1.png"));

        given().contentType(ContentType.JSON).header("X-Request-Id", "images-usage-1")
                .body("{\"model\":\"wan2.6-t2i\",\"prompt\":\"a cat\"}")
                .when().post(ROUTE).then().statusCode(200);
        given().header("X-Request-Id", "images-usage-2").multiPart("model", "nano-banana-edit")
                .multiPart("prompt", "a hat").multiPart("image", "in.png", TestImages.png(), "image/png")
                .when().post("/v1/images/edits").then().statusCode(200);

        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5))
                .until(() -> calls.byRequestId("images-usage-1") != null && calls.byRequestId("images-usage-2") != null);
        assertEquals("wan2.6-t2i", calls.byRequestId("images-usage-1").attributes().get("model"));
        assertEquals("nano-banana-edit", calls.byRequestId("images-usage-2").attributes().get("model"));
    }

    @Test
    void shouldHandTheRequestedModelToUsageAccountingAlsoWhenTheRequestIsRefused() {
        // a regression: refused requests were recorded without a model, so usage by model lost the error traffic
        String[][] refused = {
            { ROUTE, "{\"model\":\"dall-e-3\",\"prompt\":\"x\"}", "404", "dall-e-3" },
            { ROUTE, "{\"model\":\"wan2.6-t2i\"}", "400", "wan2.6-t2i" },
            { ROUTE, "{\"model\":\" midjourney \",\"prompt\":\"x\"}", "404", "midjourney" },
            { "/v1/images/edits", "{\"model\":\"nope-edit\",\"prompt\":\"x\",\"image\":\"u\"}", "404", "nope-edit" },
            { "/v1/audio/speech", "{\"model\":\"tts-1\",\"input\":\"x\"}", "404", "tts-1" },
            { "/v1/videos", "{\"model\":\"fake-9000\",\"prompt\":\"x\"}", "404", "fake-9000" },
            { "/v1/audio/music", "{\"model\":\"speech-2.8-hd\",\"prompt\":\"x\"}", "404", "speech-2.8-hd" },
        };
        for (String[] call : refused) {
            String requestId = "refused-" + call[3].trim() + "-" + call[2];
            given().contentType(ContentType.JSON).header("X-Request-Id", requestId).body(call[1])
                    .when().post(call[0]).then().statusCode(Integer.parseInt(call[2]));
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5))
                    .until(() -> calls.byRequestId(requestId) != null);
            assertEquals(call[3], calls.byRequestId(requestId).attributes().get("model"), call[0] + " " + call[1]);
        }
    }

    @Test
    void shouldFallBackToVideoUrlsWhenThereAreNoImages() {
        fake.onPolls(Reply.completed("videos", "https://cdn/1.mp4"));

        given().accept("text/html").body("{\"model\":\"midjourney\",\"prompt\":\"a cat\"}")
        .when().post(ROUTE)
        .then().statusCode(200).body("data[0].url", equalTo("https://cdn/1.mp4"));
    }

    @Test
    void shouldAcceptAFormEncodedContentTypeAsCurlDashDSendsIt() {
        fake.onPolls(Reply.completed("images", "https://cdn/1.png"));

        given().contentType("application/x-www-form-urlencoded")
                .body("{\"model\":\"gpt-image-2\",\"prompt\":\"a cat\"}")
        .when().post(ROUTE)
        .then().statusCode(200).body("data[0].url", equalTo("https://cdn/1.png"));
    }

    @Test
    void shouldReturnBase64WhenAskedForB64Json() {
        byte[] png = TestImages.png();
        String url = fake.asset("1.png", "image/png", png);
        fake.onPolls(Reply.completed("images", url));

        String b64 = given().contentType(ContentType.JSON)
                .body("{\"model\":\"gpt-image-2\",\"prompt\":\"a cat\",\"response_format\":\"b64_json\"}")
        .when().post(ROUTE)
        .then().statusCode(200).extract().path("data[0].b64_json");

        assertEquals(Base64.getEncoder().encodeToString(png), b64);
    }

    @Test
    void shouldReturnBase64EditsWhenAskedForB64JsonInJsonOrAForm() {
        // a regression: edits answered URLs whatever response_format asked for (generations honoured it)
        byte[] png = TestImages.png();
        fake.onPolls(Reply.completed("images", fake.asset("edited.png", "image/png", png)));
        String expected = Base64.getEncoder().encodeToString(png);

        assertEquals(expected, given().contentType(ContentType.JSON)
                .body("{\"model\":\"gpt-image-2-edit\",\"prompt\":\"a hat\",\"image\":\"https://cdn/in.png\","
                        + "\"response_format\":\"b64_json\"}")
                .when().post("/v1/images/edits")
                .then().statusCode(200).body("data[0].url", org.hamcrest.Matchers.nullValue())
                .extract().path("data[0].b64_json"));
        assertEquals(expected, given().multiPart("model", "gpt-image-2-edit").multiPart("prompt", "a hat")
                .multiPart("response_format", "b64_json").multiPart("image", "in.png", png, "image/png")
                .when().post("/v1/images/edits")
                .then().statusCode(200).extract().path("data[0].b64_json"));
        given().contentType(ContentType.JSON)
                .body("{\"model\":\"gpt-image-2-edit\",\"prompt\":\"a hat\",\"image\":\"https://cdn/in.png\"}")
                .when().post("/v1/images/edits")
                .then().statusCode(200).body("data[0].url", startsWith("http"));
    }

    @Test
    void shouldRejectAnEmptyBody() {
        expectError("", 400, "invalid_request_error", "invalid JSON body: EOF");
    }

    @Test
    void shouldRejectMalformedJson() {
        given().contentType(ContentType.JSON).body("{\"model\":")
        .when().post(ROUTE)
        .then().statusCode(400).body("error.message", startsWith("invalid JSON body: "));
    }

    @Test
    void shouldRejectAWrongJsonType() {
        given().contentType(ContentType.JSON).body("{\"model\":\"gpt-image-2\",\"prompt\":\"x\",\"n\":\"4\"}")
        .when().post(ROUTE)
        .then().statusCode(400).body("error.message", startsWith("invalid JSON body: "));
    }

    @Test
    void shouldRequirePromptBeforeModel() {
        expectError("{\"model\":\"wan2.6-t2i\"}", 400, "invalid_request_error", "prompt is required");
        expectError("{}", 400, "invalid_request_error", "prompt is required");
        expectError("{\"prompt\":\"a cat\"}", 400, "invalid_request_error", "model is required");
    }

    @Test
    void shouldRejectEditModelsAndAliases() {
        expectError("{\"model\":\"gpt-image-2-edit\",\"prompt\":\"x\"}", 404, "model_not_found",
                "unknown image model: gpt-image-2-edit");
        expectError("{\"model\":\"dall-e-3\",\"prompt\":\"x\"}", 404, "model_not_found", "unknown image model: dall-e-3");
    }

    @Test
    void shouldReportVendorFailuresAsVendorError() {
        fake.onPolls(Reply.vendorFailure(3001, "content policy", "prompt rejected"));

        expectError("{\"model\":\"gpt-image-2\",\"prompt\":\"x\"}", 502, "vendor_error",
                "[3001] content policy: prompt rejected")
                // a regression: the SDKs retry a 502 twice by default, and each retry made and paid for a new task
                .header("x-should-retry", "false");
        assertEquals(1, fake.submits().size());
    }

    @Test
    void shouldReportSubmitRejectionsAsUpstreamError() {
        fake.onSubmit(Reply.json(402, "{\"detail\":\"out of credits\"}"));

        expectError("{\"model\":\"gpt-image-2\",\"prompt\":\"x\"}", 502, "upstream_error", "upstream: upstream HTTP 402")
                .header("x-should-retry", "false");
    }

    @Test
    void shouldLeaveSubmitsThatMayGoThroughLaterRetryable() {
        fake.onSubmit(Reply.json(503, "{}"));

        given().contentType(ContentType.JSON).body("{\"model\":\"gpt-image-2\",\"prompt\":\"x\"}")
                .when().post(ROUTE)
                .then().statusCode(502).body("error.type", equalTo("upstream_error"))
                .header("x-should-retry", nullValue());
        fake.onSubmit(Reply.connectionDrop());
        given().contentType(ContentType.JSON).body("{\"model\":\"gpt-image-2\",\"prompt\":\"x\"}")
                .when().post(ROUTE)
                .then().statusCode(502).header("x-should-retry", nullValue());
    }

    @Test
    void shouldReportTheTimeoutSentinel() {
        fake.onPolls(Reply.status("processing"));

        expectError("{\"model\":\"gpt-image-2\",\"prompt\":\"x\"}", 502, "upstream_error",
                "upstream: job did not complete before timeout").header("x-should-retry", "false");
    }

    private static ValidatableResponse expectError(String body, int status, String type, String message) {
        return JsonErrors.expect(ROUTE, body, status, type, message);
    }
}
