package dev.cli2api.sandbox;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.function.Predicate;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

class MuleRunSimulatorJobsTest extends SimulatorTestBase {

    private static final String IMAGE_PATH = "/vendors/google/v1/nano-banana/generation";
    private static final String SPEECH_PATH = "/vendors/minimax/v1/speech-2.8-hd/text-to-speech/generation";
    private static final String VIDEO_PATH = "/vendors/klingai/v1/kling-v3/text-to-video/generation";
    private static final byte[] PNG_SIGNATURE = { (byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n' };

    @Test
    void shouldCompleteImageJobWithServedPng() {
        byte[] png = runJobAndFetch(IMAGE_PATH, "images", "image/png");

        assertArrayEquals(PNG_SIGNATURE, Arrays.copyOf(png, PNG_SIGNATURE.length));
    }

    @Test
    void shouldCompleteSpeechJobWithServedMp3() {
        byte[] mp3 = runJobAndFetch(SPEECH_PATH, "audios", "audio/mpeg");

        boolean id3 = new String(mp3, 0, 3, StandardCharsets.ISO_8859_1).equals("ID3");
        boolean frameSync = (mp3[0] & 0xFF) == 0xFF && (mp3[1] & 0xE0) == 0xE0;
        assertTrue(id3 || frameSync, "MP3 starts with neither an ID3 tag nor a frame sync");
    }

    @Test
    void shouldCompleteVideoJobWithServedMp4() {
        byte[] mp4 = runJobAndFetch(VIDEO_PATH, "videos", "video/mp4");

        assertEquals("ftyp", new String(mp4, 4, 4, StandardCharsets.ISO_8859_1));
    }

    @ParameterizedTest
    @CsvSource({
            "/vendors/midjourney/v1/tob/diffusion, IMAGE",
            "/vendors/alibaba/v1/wan2.5-i2i-preview/generation, IMAGE",
            "/vendors/openai/v1/gpt-image-2/edit, IMAGE",
            "/vendors/minimax/v1/music-2.5/text-to-music/generation, AUDIO",
            "/vendors/minimax/v1/speech-2.8-turbo/text-to-speech/generation, AUDIO",
            "/vendors/midjourney/v1/tob/video-diffusion, VIDEO",
            "/vendors/openai/v1/sora-2/generation, VIDEO",
            "/vendors/google/v1/veo-3.1-fast/generation, VIDEO",
            "/vendors/klingai/v1/kling-v3-omni/video-to-video/edit, VIDEO",
            "/vendors/bytedance/v1/seedance-2.0/reference-to-video/generation, VIDEO",
            "/vendors/alibaba/v1/wan2.1-vace-plus/generation, VIDEO",
            "/vendors/alibaba/v1/wan2.1-kf2v-plus/generation, VIDEO",
            "/vendors/mulerouter/v1/wan2.6-i2v-spark/generation, VIDEO",
            "/vendors/alibaba/v1/happy-horse-1-0-t2v/generation, VIDEO"
    })
    void shouldDeriveJobKindFromVendorPath(String path, VendorJobs.Kind kind) {
        assertEquals(kind, VendorJobs.Kind.of(path));
    }

    @Test
    void shouldGiveEachTaskItsOwnId() {
        String first = submit(IMAGE_PATH).getString("id");
        String second = submit(IMAGE_PATH).getString("id");

        assertNotEquals(first, second);
    }

    @Test
    void shouldAnswer404ForUnknownTask() {
        String id = submit(IMAGE_PATH).getString("id");

        HttpResponse<String> unknown = get(IMAGE_PATH + "/task-unknown", "Authorization", TOKEN);
        HttpResponse<String> wrongPath = get(VIDEO_PATH + "/" + id, "Authorization", TOKEN);

        assertEquals(404, unknown.statusCode());
        assertEquals("task not found", json(unknown).getString("detail"));
        assertEquals(404, wrongPath.statusCode());
    }

    @Test
    void shouldRejectSubmitThatIsNotJsonObject() {
        for (String body : new String[] { "prompt=cat", "[]", "" }) {
            HttpResponse<String> response = post(IMAGE_PATH, body, "Authorization", TOKEN);

            assertEquals(400, response.statusCode(), "body: " + body);
            assertTrue(json(response).getString("detail").contains("JSON object"));
        }
    }

    @Test
    void shouldRejectJobCallsWithoutBearerToken() {
        String id = submit(IMAGE_PATH).getString("id");

        HttpResponse<String> submit = post(IMAGE_PATH, "{\"prompt\":\"cat\"}");
        HttpResponse<String> poll = get(IMAGE_PATH + "/" + id, "X-API-Key", "muk-test");

        assertEquals(401, submit.statusCode());
        assertEquals(401, poll.statusCode());
        assertTrue(json(poll).containsKey("detail"));
    }

    @Test
    void shouldAnswer404ForUnknownAsset() {
        assertEquals(404, get("/assets/secret.txt").statusCode());
    }

    @Test
    void shouldRecordRequestsUntilReset() {
        post(IMAGE_PATH + "?trace=1", "{\"prompt\":\"cat\"}", "Authorization", TOKEN, "X-Request-Id", "req-1");
        get("/assets/sample.png");

        RecordedRequest submit = simulator.requests().get(0);
        assertEquals(2, simulator.requests().size());
        assertEquals("POST", submit.method());
        assertEquals(IMAGE_PATH, submit.path());
        assertEquals("trace=1", submit.query());
        assertEquals(TOKEN, submit.header("authorization"));
        assertEquals("req-1", submit.header("X-REQUEST-ID"));
        assertEquals("{\"prompt\":\"cat\"}", submit.bodyText());
        RecordedRequest asset = simulator.requests().get(1);
        assertEquals("GET", asset.method());
        assertNull(asset.query());
        assertEquals(0, asset.body().length);

        simulator.reset();

        assertTrue(simulator.requests().isEmpty());
    }

    @Test
    void shouldKeepOnlyTheLatestRecordedRequests() {
        int extra = 5;
        for (int i = 0; i < MuleRunSimulator.RECORDING_CAPACITY + extra; i++) {
            get("/assets/none-" + i);
        }

        assertEquals(MuleRunSimulator.RECORDING_CAPACITY, simulator.requests().size());
        assertEquals("/assets/none-" + extra, simulator.requests().get(0).path());
    }

    @Test
    void shouldForgetTasksOnReset() {
        String id = submit(IMAGE_PATH).getString("id");

        simulator.reset();

        assertEquals(404, get(IMAGE_PATH + "/" + id, "Authorization", TOKEN).statusCode());
    }

    /** Submits to {@code path}, polls twice, checks the states, and downloads the one result URL. */
    private static byte[] runJobAndFetch(String path, String resultField, String contentType) {
        JsonObject submitted = submit(path);
        assertEquals("pending", submitted.getString("status"));
        String id = submitted.getString("id");

        JsonObject first = poll(path, id);
        JsonObject second = poll(path, id);

        assertEquals("processing", first.getJsonObject("task_info").getString("status"));
        JsonObject info = second.getJsonObject("task_info");
        assertEquals("completed", info.getString("status"));
        assertEquals(id, info.getString("id"));
        assertEquals(submitted.getString("created_at"), info.getString("created_at"));
        Instant.parse(info.getString("updated_at"));
        Predicate<String> otherResult = field -> !field.equals(resultField) && second.containsKey(field);
        assertTrue(Arrays.stream(new String[] { "images", "videos", "audios" }).noneMatch(otherResult));
        JsonArray urls = second.getJsonArray(resultField);
        assertEquals(1, urls.size());
        assertTrue(urls.getString(0).startsWith(simulator.baseUrl() + "/assets/"));

        HttpResponse<byte[]> asset = getBytes(URI.create(urls.getString(0)));
        assertEquals(200, asset.statusCode());
        assertEquals(contentType, asset.headers().firstValue("Content-Type").orElseThrow());
        assertTrue(asset.body().length > 100);
        return asset.body();
    }

    private static JsonObject submit(String path) {
        HttpResponse<String> response = post(path, "{\"prompt\":\"a cat\"}", "Authorization", TOKEN);
        assertEquals(202, response.statusCode());
        JsonObject info = json(response).getJsonObject("task_info");
        Instant.parse(info.getString("created_at"));
        Instant.parse(info.getString("updated_at"));
        return info;
    }

    private static JsonObject poll(String path, String id) {
        HttpResponse<String> response = get(path + "/" + id, "Authorization", TOKEN);
        assertEquals(200, response.statusCode());
        return json(response);
    }
}
