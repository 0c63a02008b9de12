package dev.cli2api.generation;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Random;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.cli2api.testsupport.FakeMuleRun;
import dev.cli2api.testsupport.FakeMuleRun.Reply;
import dev.cli2api.testsupport.FakeUpstreamProfile;
import dev.cli2api.testsupport.InjectFakeMuleRun;
import dev.cli2api.testsupport.JsonErrors;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;

@QuarkusTest
@TestProfile(FakeUpstreamProfile.class)
class SpeechTest {

    private static final String ROUTE = "/v1/audio/speech";

    @InjectFakeMuleRun
    FakeMuleRun fake;

    @jakarta.inject.Inject
    dev.cli2api.testsupport.RecordedCalls calls;

    @org.eclipse.microprofile.config.inject.ConfigProperty(name = "quarkus.http.test-port")
    int port;

    @BeforeEach
    void reset() {
        fake.reset();
    }

    @Test
    void shouldRelayTheAudioBytesIntactWithoutContentLength() throws Exception {
        byte[] audio = new byte[50_000];
        new Random(7).nextBytes(audio);
        fake.onPolls(Reply.status("processing"), Reply.completed("audios", fake.asset("a.wav", "audio/x-wav", audio)));

        byte[] received = given().contentType(ContentType.JSON).accept("application/octet-stream")
                .body("{\"model\":\"speech-2.8-hd\",\"input\":\"hello\",\"voice\":\"alloy\",\"response_format\":\"wav\"}")
        .when().post(ROUTE)
        .then().log().ifValidationFails()
                .statusCode(200)
                .header("Content-Type", equalTo("audio/wav"))
                .header("Content-Length", nullValue())
                .extract().asByteArray();

        assertArrayEquals(audio, received);
        JsonNode body = new ObjectMapper().readTree(fake.submits().get(0).body());
        assertEquals("/vendors/minimax/v1/speech-2.8-hd/text-to-speech/generation", fake.submits().get(0).path());
        assertEquals("hello", body.path("prompt").asText());
        assertEquals("alloy", body.path("voice_setting").path("voice_id").asText());
        assertEquals("url", body.path("output_format").asText());
    }

    @Test
    void anAudioDownloadCutShortEndsTheAnswerAndTheCallIsStillRecorded() throws Exception {
        // a regression: the answer was cut (right), but the call had no access line and no usage record, and the
        // service waited its whole shutdown timeout for it
        byte[] audio = new byte[100_000];
        new Random(3).nextBytes(audio);
        fake.onPolls(Reply.completed("audios", fake.cutAsset("cut.mp3", "audio/mpeg", audio, 5_000)));
        byte[] body = "{\"model\":\"speech-2.8-hd\",\"input\":\"x\"}".getBytes(StandardCharsets.UTF_8);
        String response = dev.cli2api.testsupport.RawHttp.exchange(port, "POST " + ROUTE + " HTTP/1.1\nHost: x\n"
                + "Content-Type: application/json\nX-Request-Id: speech-cut-1\nContent-Length: " + body.length, body);

        assertTrue(response.startsWith("HTTP/1.1 200"), response);
        assertFalse(response.endsWith("\r\n0\r\n\r\n"), "a cut answer must not look complete");
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
                .until(() -> calls.byRequestId("speech-cut-1") != null);
        assertEquals(200, calls.byRequestId("speech-cut-1").status());
    }

    @Test
    void shouldDefaultToAudioMpeg() {
        fake.onPolls(Reply.completed("audios", fake.asset("a.mp3", "audio/mpeg", new byte[] { 1, 2, 3 })));

        given().accept("application/json").header("X-Request-Id", "speech-usage-1")
                .body("{\"model\":\"speech-2.8-turbo\",\"prompt\":\"hello\"}")
        .when().post(ROUTE)
        .then().statusCode(200).header("Content-Type", equalTo("audio/mpeg"));

        // and usage accounting learns the model
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5))
                .until(() -> calls.byRequestId("speech-usage-1") != null);
        assertEquals("speech-2.8-turbo", calls.byRequestId("speech-usage-1").attributes().get("model"));
    }

    @Test
    void contentTypePrefersResponseFormatOverAudioFormat() {
        assertEquals("audio/ogg; codecs=opus", SpeechResource.contentType(request("opus", "mp3")));
        assertEquals("audio/flac", SpeechResource.contentType(request(null, "flac")));
        assertEquals("audio/aac", SpeechResource.contentType(request("aac", null)));
        assertEquals("audio/pcm", SpeechResource.contentType(request("pcm", null)));
        assertEquals("audio/mpeg", SpeechResource.contentType(request("mp3", "wav")));
        assertEquals("audio/mpeg", SpeechResource.contentType(request(null, null)));
    }

    private static dev.cli2api.catalog.AudioRequest request(String responseFormat, String audioFormat) {
        return new dev.cli2api.catalog.AudioRequest("speech-2.8-hd", "x", null, null, null, responseFormat, audioFormat,
                null, null, null, null, null, null, null, null, null, null, null);
    }

    @Test
    void shouldValidateInOrder() {
        expectError("", 400, "invalid_request_error", "invalid JSON body: EOF");
        expectError("{\"input\":\"hi\"}", 400, "invalid_request_error", "model is required");
        expectError("{\"model\":\"speech-2.8-hd\"}", 400, "invalid_request_error", "input is required");
        expectError("{\"model\":\"music-2.0\",\"input\":\"hi\"}", 404, "model_not_found",
                "unknown speech model: music-2.0");
        expectError("{\"model\":\"tts-1\",\"input\":\"hi\"}", 404, "model_not_found", "unknown speech model: tts-1");
    }

    @Test
    void shouldRefuseNumbersTooLargeForADoubleInsteadOfSendingInfinityUpstream() {
        // a regression: 1e400 read as Infinity, and the request went upstream with it
        expectError("{\"model\":\"speech-2.8-hd\",\"input\":\"hi\",\"speed\":1e400}", 400, "invalid_request_error",
                "invalid JSON body: field \"speed\": number Infinity is out of range for a double");
        expectError("{\"model\":\"speech-2.8-hd\",\"input\":\"hi\",\"vol\":-1e999}", 400, "invalid_request_error",
                "invalid JSON body: field \"vol\": number -Infinity is out of range for a double");
        assertTrue(fake.submits().isEmpty(), "nothing went upstream");
    }

    @Test
    void shouldReportATaskWithoutAudio() {
        fake.onPolls(Reply.completed("audios"));

        expectError("{\"model\":\"speech-2.8-hd\",\"input\":\"hi\"}", 502, "upstream_error", "upstream returned no audio");
    }

    @Test
    void shouldReportAFailedDownload() {
        fake.onPolls(Reply.completed("audios", fake.baseUrl() + "/assets/missing.mp3"));

        expectError("{\"model\":\"speech-2.8-hd\",\"input\":\"hi\"}", 502, "upstream_error",
                "audio download: upstream 404").header("x-should-retry", "false"); // the audio is made and paid for
    }

    @Test
    void shouldReportVendorFailures() {
        fake.onPolls(Reply.vendorFailure(3001, "", "voice not found"));

        expectError("{\"model\":\"speech-2.8-hd\",\"input\":\"hi\"}", 502, "vendor_error", "[3001] voice not found")
                .header("x-should-retry", "false");
    }

    private static io.restassured.response.ValidatableResponse expectError(String body, int status, String type,
            String message) {
        return JsonErrors.expect(ROUTE, body, status, type, message);
    }
}
