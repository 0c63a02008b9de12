package dev.cli2api.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

/** The job JSON clients see, written token by token from a {@link JobView}. */
class JobViewsTest {

    /** A prompt (as JSON) with escaped quotes, accents and a character outside the BMP. */
    private static final String PROMPT = "\"a \\\"paper\\\" boat, \u00e9t\u00e9 \uD83D\uDEA3\"";

    private final ObjectMapper json = new ObjectMapper();

    private static Job video(String status) {
        Job job = new Job();
        job.id = "video_abcdefghijklmnop";
        job.kind = JobKind.VIDEO;
        job.model = "sora-2";
        job.status = status;
        job.createdAt = 1_700_000_000L;
        job.expiresAt = 1_700_604_800L;
        job.requestEcho = "{\"prompt\":" + PROMPT + ",\"seconds\":\"4\",\"size\":\"720x1280\"}";
        return job;
    }

    private String render(JobView view) {
        return new String(JobViews.json(json.getFactory(), view), StandardCharsets.UTF_8);
    }

    @Test
    void aQueuedVideoIsOpenAisVideoObjectWithTheEchoedRequest() {
        assertEquals("{\"id\":\"video_abcdefghijklmnop\",\"object\":\"video\",\"status\":\"queued\","
                + "\"model\":\"sora-2\",\"created_at\":1700000000,\"completed_at\":null,\"error\":null,\"progress\":0,"
                + "\"prompt\":" + PROMPT + ",\"seconds\":\"4\",\"size\":\"720x1280\","
                + "\"expires_at\":1700604800,\"remixed_from_video_id\":null}",
                render(JobView.of(video("queued"), json)));
    }

    @Test
    void aCompletedVideoListsItsUrlsAndAnUnreadableListShowsAsNull() throws Exception {
        Job job = video("completed");
        job.completedAt = 1_700_000_100L;
        job.resultUrls = "[\"https://cdn.example/a.mp4\"]";
        var out = json.readTree(render(JobView.of(job, json)));
        assertEquals("[\"https://cdn.example/a.mp4\"]", out.get("videos").toString());
        assertEquals(1_700_000_100L, out.get("completed_at").asLong());
        assertEquals(100, out.get("progress").asInt());

        job.resultUrls = "[\"https://cdn.example/a.mp4\"";
        assertTrue(json.readTree(render(JobView.of(job, json))).get("videos").isNull());
    }

    @Test
    void aFailedVideoHasAStringCodeAndAFailedTrackAnIntegerOne() throws Exception {
        Job failed = video("failed");
        failed.errCode = 3005;
        failed.errMessage = "[3005] content policy";
        assertEquals("{\"code\":\"3005\",\"message\":\"[3005] content policy\"}",
                json.readTree(render(JobView.of(failed, json))).get("error").toString());
        failed.errCode = 0;
        assertEquals("job_failed", json.readTree(render(JobView.of(failed, json))).path("error").path("code").asText());

        Job track = new Job();
        track.id = "audio_abcdefghijklmnop";
        track.kind = JobKind.MUSIC;
        track.model = "suno-v4";
        track.status = "failed";
        track.createdAt = 1;
        track.completedAt = 2;
        track.errCode = 3005;
        track.errMessage = "no";
        assertEquals("{\"id\":\"audio_abcdefghijklmnop\",\"object\":\"" + JobKind.MUSIC.object()
                + "\",\"status\":\"failed\",\"model\":\"suno-v4\",\"created_at\":1,\"completed_at\":2,"
                + "\"error\":{\"code\":3005,\"message\":\"no\"}}", render(JobView.of(track, json)));
    }

    @Test
    void echoValuesTheRequestDidNotSendAreNull() throws Exception {
        Job job = video("in_progress");
        job.requestEcho = "{\"prompt\":\"p\"}";
        var out = json.readTree(render(JobView.of(job, json)));
        assertEquals("p", out.get("prompt").asText());
        assertTrue(out.get("seconds").isNull());
        assertTrue(out.get("size").isNull());
        assertEquals(50, out.get("progress").asInt());

        job.requestEcho = "not json";
        assertTrue(json.readTree(render(JobView.of(job, json))).get("prompt").isNull());
    }

    @Test
    void isJsonAcceptsOneValueAndNothingElse() {
        assertTrue(JobViews.isJson(json.getFactory(), "[\"a\",{\"b\":[1]}]"));
        assertTrue(JobViews.isJson(json.getFactory(), "[]"));
        assertFalse(JobViews.isJson(json.getFactory(), ""));
        assertFalse(JobViews.isJson(json.getFactory(), "[1] [2]"));
        assertFalse(JobViews.isJson(json.getFactory(), "[1,"));
        assertFalse(JobViews.isJson(json.getFactory(), "not json"));
    }
}
