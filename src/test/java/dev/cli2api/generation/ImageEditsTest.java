package dev.cli2api.generation;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.cli2api.testsupport.FakeMuleRun;
import dev.cli2api.testsupport.FakeMuleRun.Reply;
import dev.cli2api.testsupport.FakeUpstreamProfile;
import dev.cli2api.testsupport.InjectFakeMuleRun;
import dev.cli2api.testsupport.MalformedMultipart;
import dev.cli2api.testsupport.JsonErrors;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;

@QuarkusTest
@TestProfile(FakeUpstreamProfile.class)
class ImageEditsTest {

    private static final String ROUTE = "/v1/images/edits";
    private static final String PNG_URI = "data:image/png;base64,";

    @InjectFakeMuleRun
    FakeMuleRun fake;

    @BeforeEach
    void reset() {
        fake.reset();
        fake.onPolls(Reply.status("processing"), Reply.completed("images", "https://cdn/edited.png"));
    }

    private JsonNode submitted() throws Exception {
        return new ObjectMapper().readTree(fake.submits().get(0).body());
    }

    @Test
    void shouldEditFromJsonWithImageUrls() throws Exception {
        given().contentType(ContentType.JSON)
                .body("{\"model\":\"nano-banana-edit\",\"prompt\":\"make it blue\",\"image\":\"https://in/0.png\","
                        + "\"images\":[\"https://in/1.png\"]}")
        .when().post(ROUTE)
        .then().log().ifValidationFails()
                .statusCode(200)
                .contentType(startsWith("application/json"))
                .body("data[0].url", equalTo("https://cdn/edited.png"));

        assertEquals("/vendors/google/v1/nano-banana/edit", fake.submits().get(0).path());
        JsonNode body = submitted();
        assertEquals("make it blue", body.path("prompt").asText());
        assertEquals("https://in/0.png", body.path("images").path(0).asText());
        assertEquals("https://in/1.png", body.path("images").path(1).asText());
    }

    @Test
    void shouldEditFromMultipartWithAnUntypedPngFile() throws Exception {
        byte[] png = TestImages.png();

        given().multiPart("model", "gpt-image-2-edit")
                .multiPart("prompt", "add a hat")
                .multiPart("size", "1024x1024")
                .multiPart("image", "photo.png", png, "application/octet-stream")
        .when().post(ROUTE)
        .then().log().ifValidationFails()
                .statusCode(200)
                .body("data[0].url", equalTo("https://cdn/edited.png"));

        JsonNode body = submitted();
        assertEquals("add a hat", body.path("prompt").asText());
        assertEquals("1024x1024", body.path("size").asText());
        assertEquals(1, body.path("images").size());
        assertEquals(PNG_URI + Base64.getEncoder().encodeToString(png), body.path("images").path(0).asText());
    }

    @Test
    void shouldReadAsAFormOnlyWhatIsLabelledMultipartFormDataAndTheRestAsJson() throws Exception {
        // spec §1.13: "Content-Type starting with multipart/form-data (case-sensitive prefix) → multipart parsing;
        // anything else → JSON". Quarkus read these as an empty form (400 model is required) or refused them (415)
        String form = "--Bq7\r\nContent-Disposition: form-data; name=\"model\"\r\n\r\ngpt-image-2-edit\r\n--Bq7--\r\n";
        given().contentType("Multipart/Form-Data; boundary=Bq7").body(form.getBytes(StandardCharsets.UTF_8))
        .when().post(ROUTE)
        .then().statusCode(400).body("error.message", startsWith("invalid JSON body: "));
        given().contentType("multipart/form-data").body(form.getBytes(StandardCharsets.UTF_8))
        .when().post(ROUTE)
        .then().statusCode(400)
                .body("error.message", equalTo("multipart: no multipart boundary param in Content-Type"));
        // a regression: a space before the ";" (which Go's mime.ParseMediaType takes) sent the form to the JSON reader
        given().contentType("multipart/form-data ; boundary=Bq7").body(form.getBytes(StandardCharsets.UTF_8))
        .when().post(ROUTE)
        .then().statusCode(400).body("error.message", equalTo("prompt is required"));
        for (String type : new String[] { "", ";;;", "*/*", "Application/Json" }) {
            given().contentType(type)
                    .body("{\"model\":\"gpt-image-2-edit\",\"prompt\":\"p\",\"images\":[\"https://in/0.png\"]}"
                            .getBytes(StandardCharsets.UTF_8))
            .when().post(ROUTE)
            .then().log().ifValidationFails().statusCode(200).body("data[0].url", equalTo("https://cdn/edited.png"));
        }
    }

    @Test
    void shouldAcceptAMultipartPromptLongerThanTheDefaultFormFieldLimit() throws Exception {
        // regression: Quarkus' default 2 KiB form-attribute limit answered 413 for long SDK prompts
        String prompt = "a very detailed prompt ".repeat(400);

        given().multiPart("model", "gpt-image-2-edit")
                .multiPart("prompt", prompt)
                .multiPart("image", "photo.png", TestImages.png(), "image/png")
        .when().post(ROUTE)
        .then().log().ifValidationFails()
                .statusCode(200);

        assertEquals(prompt, submitted().path("prompt").asText());
    }

    @Test
    void shouldReadSdkImageArraysAndAMaskFile() throws Exception {
        byte[] png = TestImages.png();

        given().multiPart("model", "gpt-image-2-edit")
                .multiPart("prompt", "merge")
                .multiPart("image[]", "a.png", png, "image/png")
                .multiPart("image[]", "b.png", png, "application/octet-stream")
                .multiPart("mask", "mask.png", png, "application/octet-stream")
        .when().post(ROUTE)
        .then().statusCode(200);

        JsonNode body = submitted();
        assertEquals(2, body.path("images").size());
        assertTrue(body.path("mask").asText().startsWith(PNG_URI));
    }

    @Test
    void shouldUseATextMaskWhenNoMaskFileIsSent() throws Exception {
        given().multiPart("model", "gpt-image-2-edit")
                .multiPart("prompt", "merge")
                .multiPart("image", "a.png", TestImages.png(), "image/png")
                .multiPart("mask", "https://in/mask.png")
        .when().post(ROUTE)
        .then().statusCode(200);

        assertEquals("https://in/mask.png", submitted().path("mask").asText());
    }

    @Test
    void shouldRejectAFileOverTwentyMebibytes() {
        byte[] big = new byte[20 * 1024 * 1024 + 1];

        given().multiPart("model", "gpt-image-2-edit")
                .multiPart("prompt", "x")
                .multiPart("image", "big.png", big, "image/png")
        .when().post(ROUTE)
        .then().log().ifValidationFails()
                .statusCode(413)
                .body("error.type", equalTo("invalid_request_error"))
                .body("error.message", equalTo("file \"big.png\" is 20971521 bytes; max is 20971520"));

        assertTrue(fake.submits().isEmpty());
    }

    @Test
    void shouldCheckModelBeforePrompt() {
        expectJsonError("{}", 400, "invalid_request_error", "model is required");
        expectJsonError("{\"model\":\"nano-banana-edit\",\"images\":[\"https://in/1.png\"]}", 400,
                "invalid_request_error", "prompt is required");
    }

    @Test
    void shouldRequireAnImage() {
        expectJsonError("{\"model\":\"nano-banana-edit\",\"prompt\":\"x\"}", 400, "invalid_request_error",
                "image is required");

        given().multiPart("model", "gpt-image-2-edit").multiPart("prompt", "x").multiPart("image", "https://in/1.png")
        .when().post(ROUTE)
        .then().statusCode(400).body("error.message", equalTo("image is required"));
    }

    @Test
    void shouldRejectUnknownAndGenerationOnlyModels() {
        expectJsonError("{\"model\":\"nope\",\"prompt\":\"x\",\"image\":\"https://in/1.png\"}", 404, "model_not_found",
                "unknown edit model: nope");
        expectJsonError("{\"model\":\"gpt-image-2\",\"prompt\":\"x\",\"image\":\"https://in/1.png\"}", 404,
                "model_not_found", "unknown edit model: gpt-image-2");
        assertFalse(fake.requests().stream().anyMatch(r -> r.method().equals("POST")));
    }

    @Test
    void shouldRejectATruncatedMultipartBody() {
        given().contentType("multipart/form-data; boundary=xyz")
                .body("--xyz\r\nContent-Disposition: form-data; name=\"model\"\r\n\r\nabc".getBytes())
        .when().post(ROUTE)
        .then().log().ifValidationFails()
                .statusCode(400)
                .contentType(startsWith("application/json"))
                .body("error.type", equalTo("invalid_request_error"))
                .body("error.message", startsWith("multipart: "));
    }

    @Test
    void shouldAnswerMalformedMultipartBodiesWith400NotA500() {
        // regressions: each of these failed inside Quarkus' form parser with a 500
        MalformedMultipart.expect400(ROUTE, "gpt-image-2-edit");
        assertFalse(fake.requests().stream().anyMatch(r -> r.method().equals("POST")));
    }

    @Test
    void shouldRejectAnEmptyJsonBody() {
        expectJsonError("", 400, "invalid_request_error", "invalid JSON body: EOF");
    }

    @Test
    void shouldNotFallBackToVideosForEdits() {
        fake.onPolls(Reply.completed("videos", "https://cdn/1.mp4"));

        given().contentType(ContentType.JSON)
                .body("{\"model\":\"nano-banana-edit\",\"prompt\":\"x\",\"image\":\"https://in/1.png\"}")
        .when().post(ROUTE)
        .then().statusCode(200).body("data.size()", equalTo(0));
    }

    private static void expectJsonError(String body, int status, String type, String message) {
        JsonErrors.expect(ROUTE, body, status, type, message);
    }
}
