package dev.cli2api.jobs;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;

import javax.sql.DataSource;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.cli2api.testsupport.FakeMuleRun;
import dev.cli2api.testsupport.FakeMuleRun.Reply;
import dev.cli2api.testsupport.InjectFakeMuleRun;
import dev.cli2api.testsupport.MalformedMultipart;
import dev.cli2api.testsupport.RawHttp;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;

/** Jobs advance by themselves: the worker submits, polls and records every outcome; GET only reads the row. */
@QuarkusTest
@TestProfile(JobsProfile.class)
class JobLifecycleTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @InjectFakeMuleRun
    FakeMuleRun fake;

    @Inject
    DataSource dataSource;

    @Inject
    JobStore store;

    private JobRows rows;

    @BeforeEach
    void setUp() {
        fake.reset();
        rows = new JobRows(dataSource);
    }

    @Inject
    MeterRegistry registry;

    @AfterEach
    void tearDown() {
        rows.deleteCreatedAndSettle(registry);
    }

    private String createVideo() {
        return rows.track(given()
                .contentType(ContentType.JSON)
                .body("{\"model\":\"sora-2\",\"prompt\":\"a cat\",\"seconds\":\"4\",\"size\":\"720x1280\"}")
                .when().post("/v1/videos")
                .then()
                .log().ifValidationFails()
                .statusCode(202)
                .extract().path("id"));
    }

    private String createMusic() {
        return rows.track(given()
                .contentType(ContentType.JSON)
                .body("{\"model\":\"music-2.5\",\"prompt\":\"a song\"}")
                .when().post("/v1/audio/music")
                .then()
                .log().ifValidationFails()
                .statusCode(202)
                .extract().path("id"));
    }

    private JsonPath awaitStatus(String route, String id, String status) {
        return await().atMost(WAIT).until(() -> given().when().get(route + "/" + id).then().statusCode(200)
                .extract().jsonPath(), json -> json.getString("status").equals(status));
    }

    @Test
    void shouldAnswer202AtOnceWithAQueuedVideoObject() {
        fake.onSubmit(Reply.json(503, "{}"));
        rows.track(given()
                .contentType(ContentType.JSON)
                .body("{\"model\":\"sora-2\",\"prompt\":\"a cat\",\"seconds\":\"8\",\"size\":\"720x1280\"}")
                .when().post("/v1/videos")
                .then()
                .statusCode(202)
                .contentType(ContentType.JSON)
                .header("openai-poll-after-ms", notNullValue())
                .body("id", matchesPattern("^video_[a-z2-7]{16}$"))
                .body("object", equalTo("video"))
                .body("status", equalTo("queued"))
                .body("model", equalTo("sora-2"))
                .body("created_at", notNullValue())
                .body("progress", equalTo(0))
                .body("prompt", equalTo("a cat"))
                .body("seconds", equalTo("8"))
                .body("size", equalTo("720x1280"))
                .body("expires_at", notNullValue())
                .body("error", nullValue())
                .extract().path("id"));
    }

    @Test
    void shouldCompleteVideoJobWithoutAnyoneAskingUpstream() {
        fake.onPolls(Reply.status("pending"), Reply.status("processing"),
                Reply.completed("videos", "https://cdn.example/v.mp4"));
        String id = createVideo();

        JsonPath job = awaitStatus("/v1/videos", id, "completed");

        assertEquals("https://cdn.example/v.mp4", job.getString("videos[0]"));
        assertEquals(100, job.getInt("progress"));
        assertEquals(1, fake.submits().size());
        assertEquals("/vendors/openai/v1/sora-2/generation", fake.submits().get(0).path());
        assertEquals("/vendors/openai/v1/sora-2/generation/task-1", fake.polls().get(0).path());
        given()
                .when().get("/v1/videos/" + id)
                .then()
                .statusCode(200)
                .header("openai-poll-after-ms", nullValue())
                .body("completed_at", notNullValue())
                .body("error", nullValue());
    }

    @Test
    void shouldReportInProgressWhileUpstreamProcesses() {
        fake.onPolls(Reply.status("processing"));
        String id = createVideo();

        JsonPath job = awaitStatus("/v1/videos", id, "in_progress");

        assertEquals(50, job.getInt("progress"));
    }

    @Test
    void shouldCompleteMusicJobWithAudios() {
        fake.onPolls(Reply.status("running"), Reply.completed("audios", "https://cdn.example/a.mp3"));
        String id = createMusic();

        JsonPath job = awaitStatus("/v1/audio/music", id, "completed");

        assertEquals("audio.job", job.getString("object"));
        assertEquals("https://cdn.example/a.mp3", job.getString("audios[0]"));
        assertEquals("/vendors/minimax/v1/music-2.5/text-to-music/generation", fake.submits().get(0).path());
    }

    @Test
    void shouldShowNoAudiosAsNullWhenTheUpstreamCompletedWithoutAny() {
        // a regression: a task completed without an audios field showed "audios": [], where the spec (§1.15) has
        // null, as the reference's decoder leaves a field the upstream did not send
        fake.onPolls(Reply.status("completed"));
        String id = createMusic();
        awaitStatus("/v1/audio/music", id, "completed");

        String body = given().when().get("/v1/audio/music/" + id).then().statusCode(200).extract().asString();
        assertThat(body, containsString("\"audios\":null"));
    }

    @Test
    void shouldAcceptAMusicJobAsAMultipartFormWithTypedFields() {
        String id = rows.track(given()
                .multiPart("model", "music-2.5")
                .multiPart("prompt", "a song")
                .multiPart("lyrics_prompt", "la la")
                .multiPart("lyrics_optimizer", "true")
                .when().post("/v1/audio/music")
                .then().log().ifValidationFails().statusCode(202).body("status", equalTo("queued"))
                .extract().path("id"));

        awaitStatus("/v1/audio/music", id, "in_progress");
        JsonPath submitted = JsonPath.from(fake.submits().stream().filter(r -> r.body().contains("la la"))
                .findFirst().orElseThrow().body());
        assertEquals(Boolean.TRUE, submitted.get("lyrics_optimizer"));
        assertEquals("a song", submitted.getString("prompt"));
        given().multiPart("model", "music-2.5").multiPart("prompt", "a song").multiPart("lyrics_optimizer", "maybe")
                .when().post("/v1/audio/music")
                .then().statusCode(400).body("error.message", startsWith("invalid JSON body: "));
    }

    @Test
    void shouldReadAsAFormOnlyWhatIsLabelledMultipartFormDataAndTheRestAsJson() {
        // spec §1.13: a case-sensitive prefix decides; anything else is JSON. Quarkus read these as an empty form (400
        // prompt/input is required) or refused them (415)
        String form = "--XyZ\r\nContent-Disposition: form-data; name=\"model\"\r\n\r\nsora-2\r\n"
                + "--XyZ\r\nContent-Disposition: form-data; name=\"prompt\"\r\n\r\na boat\r\n--XyZ--\r\n";
        given().contentType("Multipart/Form-Data; boundary=XyZ").body(form.getBytes(StandardCharsets.UTF_8))
                .when().post("/v1/videos")
                .then().statusCode(400).body("error.message", startsWith("invalid JSON body: "));
        for (String type : new String[] { "Application/JSON", "*/*", "text/plain", ";;;", "bogus" }) {
            rows.track(given().contentType(type).body("{\"model\":\"music-2.5\",\"prompt\":\"a song\"}".getBytes(StandardCharsets.UTF_8))
                    .when().post("/v1/audio/music")
                    .then().log().ifValidationFails().statusCode(202).extract().path("id"));
        }
        given().contentType("multipart/form-data").body(form.getBytes(StandardCharsets.UTF_8))
                .when().post("/v1/videos")
                .then().statusCode(400)
                .body("error.message", equalTo("multipart: no multipart boundary param in Content-Type"));
    }

    @Test
    void shouldReadABodyWithNoContentTypeAsJson() throws Exception {
        // as Go does: only multipart/form-data is read as a form; REST Assured always names a type, so a raw socket
        for (String route : List.of("/v1/videos", "/v1/audio/music")) {
            String model = route.equals("/v1/videos") ? "sora-2" : "music-2.5";
            byte[] body = ("{\"model\":\"" + model + "\",\"prompt\":\"untyped\"}").getBytes(StandardCharsets.UTF_8);
            String answer = RawHttp.exchange(RestAssured.port, "POST " + route + " HTTP/1.1\nHost: localhost\n"
                    + "Content-Length: " + body.length + "\nConnection: close", body);
            assertThat(answer, startsWith("HTTP/1.1 202"));
            JsonPath job = new JsonPath(answer.substring(answer.indexOf("\r\n\r\n") + 4));
            rows.track(job.getString("id"));
            assertEquals(model, job.getString("model"));
            assertEquals(route.equals("/v1/videos") ? "untyped" : null, job.getString("prompt"));
        }
    }

    @Test
    void shouldTakeTheFirstValueOfARepeatedFormField() {
        // as image edits read a form (spec §1.13: "first value of each"); the last one used to win here
        String id = rows.track(given().multiPart("model", "sora-2").multiPart("model", "no-such-model")
                .multiPart("prompt", "first").multiPart("prompt", "second")
                .when().post("/v1/videos")
                .then().log().ifValidationFails().statusCode(202).body("prompt", equalTo("first"))
                .extract().path("id"));
        assertThat(rows.column(id, "request_body"), containsString("\"prompt\": \"first\""));
    }

    @Test
    void shouldFailJobWhenPollAnswers403() {
        fake.onPolls(Reply.json(403, "{}"));
        String id = createVideo();

        JsonPath job = awaitStatus("/v1/videos", id, "failed");

        assertEquals("403", job.getString("error.code"));
        assertEquals("[403] HTTP 403: task is no longer available", job.getString("error.message"));
    }

    @Test
    void shouldFailWithTheVendorErrorAndKeepMusicCodesIntegers() {
        fake.onPolls(Reply.status("processing"), Reply.vendorFailure(3005, "content policy", "prompt rejected"));
        String video = createVideo();
        JsonPath failedVideo = awaitStatus("/v1/videos", video, "failed");
        assertEquals("3005", failedVideo.getString("error.code"));
        assertEquals("[3005] content policy: prompt rejected", failedVideo.getString("error.message"));

        fake.onPolls(Reply.vendorFailure(3005, "content policy", "prompt rejected"));
        String music = createMusic();
        JsonPath failedMusic = awaitStatus("/v1/audio/music", music, "failed");
        assertEquals(3005, failedMusic.getInt("error.code"));
        assertEquals("[3005] content policy: prompt rejected", failedMusic.getString("error.message"));
    }

    @Test
    void shouldRecordAVendorErrorHoldingANulCharacter() {
        // a regression: PostgreSQL refused the message, so the job stayed in flight until its hard cap
        fake.onPolls(Reply.vendorFailure(3005, "content policy", "bad\\u0000byte"));
        String video = createVideo();

        JsonPath failed = awaitStatus("/v1/videos", video, "failed");

        assertEquals("[3005] content policy: bad\uFFFDbyte", failed.getString("error.message"));
    }

    @Test
    void shouldRideOutTransientPollErrors() {
        fake.onPolls(Reply.json(503, ""), Reply.json(503, ""), Reply.connectionDrop(), Reply.json(429, "{}"),
                Reply.completed("videos", "https://cdn.example/v.mp4"));
        double before = retries("poll");
        String id = createVideo();

        awaitStatus("/v1/videos", id, "completed");

        assertEquals(5, fake.polls().size());
        // counted for operators, who had nothing to see while a job stayed in_progress on failing polls: 503, 503
        // and 429 (the dropped connection is tried again at once, and that try got the 429)
        assertEquals(3, retries("poll") - before);
    }

    private double retries(String call) {
        return registry.get("cli2api.worker.upstream_retries").tag("call", call).functionCounter().count();
    }

    @Test
    void shouldFailJobWhenSubmitIsRejectedWith402() {
        fake.onSubmit(Reply.json(402, "{\"task_info\":{\"error\":{\"code\":402,\"title\":\"payment required\","
                + "\"detail\":\"insufficient credits\"}}}"));
        String id = createVideo();

        JsonPath job = awaitStatus("/v1/videos", id, "failed");

        assertEquals("upstream submit failed: [402] payment required: insufficient credits",
                job.getString("error.message"));
        assertEquals(1, fake.submits().size());
        assertEquals(0, fake.polls().size());
    }

    @Test
    void shouldRetrySubmitsThatProvablyReachedNobody() {
        fake.onSubmit(Reply.json(503, "{}"));
        fake.onPolls(Reply.completed("videos", "https://cdn.example/v.mp4"));
        String id = createVideo();
        double before = retries("submit");
        await().atMost(WAIT).until(() -> fake.submits().size() >= 2);
        assertEquals("queued", given().when().get("/v1/videos/" + id).then().extract().path("status"));
        assertTrue(retries("submit") - before >= 1);

        fake.onSubmit(Reply.json(202, "{\"task_info\":{\"id\":\"task-1\",\"status\":\"pending\"}}"));

        awaitStatus("/v1/videos", id, "completed");
    }

    @Test
    void shouldFailAJobLeftMidSubmitInsteadOfSendingItAgain() {
        String id = "video_jtsubmitting000";
        long now = System.currentTimeMillis();
        rows.insert(id, Map.of("submit_state", "submitting", "lease_owner", "crashed-replica",
                "lease_expires_at", now - 1, "request_body", "{\"prompt\":\"" + id + "\"}"));

        JsonPath job = awaitStatus("/v1/videos", id, "failed");

        assertEquals(JobWorker.UNKNOWN_SUBMISSION, job.getString("error.message"));
        assertEquals(0, fake.submits().size());
    }

    @Test
    void shouldResumeJobsReleasedByAStoppingReplicaButKeepItsInFlightSubmits() {
        fake.onPolls(Reply.completed("videos", "https://cdn.example/v.mp4"));
        String waiting = "video_jtreleased0000";
        String midSubmit = "video_jtreleasedsub0";
        long now = System.currentTimeMillis();
        rows.insert(waiting, Map.of("lease_owner", "stopping-replica", "lease_expires_at", now + 600_000,
                "request_body", "{\"prompt\":\"" + waiting + "\"}"));
        rows.insert(midSubmit, Map.of("submit_state", "submitting", "lease_owner", "stopping-replica",
                "lease_expires_at", now + 600_000, "request_body", "{}"));

        assertEquals(1, store.releaseAll("stopping-replica", now));

        awaitStatus("/v1/videos", waiting, "completed");
        assertEquals(1, fake.submits().size(), "the released job is submitted once, long before its old lease ends");
        assertEquals("stopping-replica", rows.column(midSubmit, "lease_owner"));
        assertEquals("queued", rows.column(midSubmit, "status"));
    }

    @Test
    void shouldLeaveAJobLeasedByALiveWorkerAlone() {
        String id = "video_jtleasedalive00";
        long now = System.currentTimeMillis();
        rows.insert(id, Map.of("submit_state", "submitting", "lease_owner", "live-replica",
                "lease_expires_at", now + 60_000, "request_body", "{}"));

        await().during(Duration.ofMillis(300)).atMost(WAIT).until(() -> rows.column(id, "status").equals("queued"));

        assertEquals("live-replica", rows.column(id, "lease_owner"));
        assertEquals(0, fake.submits().size());
    }

    @Test
    void shouldNameTheReadConnectionsMetricsPerEventLoop() {
        given().when().get("/v1/videos/video_metrics_probe").then().statusCode(404);
        String metrics = given().when().get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(metrics, matchesPattern(
                "(?s).*cli2api_job_reads_processing_seconds_count\\{clientName=\"job-reads-\\d+\",clientType=\"sql\"} [1-9].*"));
        assertThat(metrics, not(containsString("m__")));
    }

    @Test
    void shouldReportMissingAndWrongKindJobsAs404() {
        given()
                .when().get("/v1/videos/video_does_not_exist")
                .then()
                .statusCode(404)
                .body("error.type", equalTo("not_found"))
                .body("error.message", equalTo("video job not found: video_does_not_exist"));
        fake.onSubmit(Reply.json(503, "{}"));
        String music = createMusic();
        given()
                .when().get("/v1/videos/" + music)
                .then()
                .statusCode(404)
                .body("error.message", equalTo("video job not found: " + music));
        String video = createVideo();
        given()
                .when().get("/v1/audio/music/" + video)
                .then()
                .statusCode(404)
                .body("error.message", equalTo("music job not found: " + video));
    }

    @Test
    void shouldAnswerIdsNoRowCanHoldAs404() {
        // a regression: an id holding U+0000 reached PostgreSQL, which refused the query: 500 "store: invalid byte
        // sequence" on every job route that takes an id
        String video = createVideo();
        for (String path : List.of("/v1/videos/%00", "/v1/videos/video_a%00b", "/v1/videos/%00/content",
                "/v1/videos?after=%00")) {
            given().urlEncodingEnabled(false)
                    .when().get(path)
                    .then()
                    .statusCode(404)
                    .body("error.type", equalTo("not_found"))
                    .body("error.message", org.hamcrest.Matchers.startsWith("video job not found: "));
        }
        given().urlEncodingEnabled(false)
                .when().delete("/v1/videos/%00")
                .then()
                .statusCode(404)
                .body("error.message", equalTo("video job not found: \u0000"));
        // a matrix parameter is part of the id on every job route, as for the reference: JAX-RS dropped it, so DELETE
        // removed the job that GET on the same path said did not exist
        for (String path : List.of("/v1/videos/" + video + ";x=1", "/v1/videos/" + video + ";x=1/content")) {
            given().urlEncodingEnabled(false)
                    .when().get(path)
                    .then()
                    .statusCode(404)
                    .body("error.message", equalTo("video job not found: " + video + ";x=1"));
        }
        given().urlEncodingEnabled(false)
                .when().delete("/v1/videos/" + video + ";x=1")
                .then()
                .statusCode(404)
                .body("error.message", equalTo("video job not found: " + video + ";x=1"));
        assertTrue(rows.exists(video));
        given().urlEncodingEnabled(false)
                .when().get("/v1/audio/music/%00")
                .then()
                .statusCode(404)
                .body("error.message", equalTo("music job not found: \u0000"));
        given().when().get("/v1/videos/" + video).then().statusCode(200);
    }

    @Test
    void shouldStoreTheMappedUpstreamBodyAtPostTime() {
        fake.onSubmit(Reply.json(503, "{}"));
        String id = createVideo();

        assertEquals("a cat", new JsonPath(rows.column(id, "request_body"))
                .getString("prompt"));
        await().atMost(WAIT).until(() -> !fake.submits().isEmpty());
        assertEquals(rows.column(id, "request_body").replace(" ", ""),
                fake.submits().get(0).body().replace(" ", ""));
        given().when().get("/v1/videos/" + id).then().body("videos", nullValue());
    }

    @Test
    void shouldReturnTheSameJobForARepeatedIdempotencyKey() {
        fake.onSubmit(Reply.json(503, "{}"));
        String body = "{\"model\":\"sora-2\",\"prompt\":\"idempotent\"}";
        String first = rows.track(given().contentType(ContentType.JSON).header("Idempotency-Key", "k-1").body(body)
                .when().post("/v1/videos").then().statusCode(202).extract().path("id"));
        given()
                .contentType(ContentType.JSON)
                .header("Idempotency-Key", "k-1")
                .body(body)
                .when().post("/v1/videos")
                .then()
                .statusCode(202)
                .body("id", equalTo(first));
        given()
                .contentType(ContentType.JSON)
                .header("Idempotency-Key", "k-1")
                .body("{\"model\":\"sora-2\",\"prompt\":\"something else\"}")
                .when().post("/v1/videos")
                .then()
                .statusCode(409)
                .header("x-should-retry", "false") // the SDKs retry 409s: this one never succeeds
                .body("error.message", equalTo("Idempotency-Key was already used with a different request body"));
        given().when().get("/v1/videos/" + first).then().body("id", equalTo(first));
    }

    @Test
    void shouldTakeLoneSurrogateEscapesAsReplacementCharactersAsGoDoes() {
        // a regression: a lone \\ud800 in prompt, size or seconds stored the job (with '?'), then failed rendering the
        // answer (500): the SDKs retried, and every retry queued another paid job
        fake.onSubmit(Reply.json(503, "{}"));
        String id = rows.track(given().contentType(ContentType.JSON)
                .header("Idempotency-Key", "surrogate-" + new Random().nextLong())
                .body("{\"model\":\"sora-2\",\"prompt\":\"orphan \\ud800 and \\udfff\"}")
                .when().post("/v1/videos")
                .then()
                .statusCode(202)
                .body("prompt", equalTo("orphan \uFFFD and \uFFFD"))
                .extract().path("id"));
        given().when().get("/v1/videos/" + id).then().statusCode(200).body("prompt", equalTo("orphan \uFFFD and \uFFFD"));
        rows.track(given().contentType(ContentType.JSON)
                .body("{\"model\":\"sora-2\",\"prompt\":\"x\",\"seconds\":\"4\\udc00\",\"size\":\"\\udbff\"}")
                .when().post("/v1/videos")
                .then()
                .statusCode(202)
                .body("seconds", equalTo("4\uFFFD"))
                .body("size", equalTo("\uFFFD"))
                .extract().path("id"));
        // a pair written as two escapes is one character, as ever
        String pair = rows.track(given().contentType(ContentType.JSON)
                .body("{\"model\":\"sora-2\",\"prompt\":\"boat \\ud83d\\ude00\"}")
                .when().post("/v1/videos")
                .then()
                .statusCode(202)
                .body("prompt", equalTo("boat \uD83D\uDE00"))
                .extract().path("id"));
        given().when().get("/v1/videos/" + pair).then().statusCode(200).body("prompt", equalTo("boat \uD83D\uDE00"));
    }

    @Test
    void shouldRefuseNumbersTooLargeForADoubleAnywhereInTheBody() {
        // a regression: 1e400 in a free-form field read as Infinity and went upstream as the string "Infinity"
        given().contentType(ContentType.JSON)
                .body("{\"model\":\"sora-2\",\"prompt\":\"x\",\"extra\":{\"a\":[1,{\"seconds\":1e400}]}}")
                .when().post("/v1/videos")
                .then()
                .statusCode(400)
                .body("error.type", equalTo("invalid_request_error"))
                .body("error.message", equalTo(
                        "invalid JSON body: field \"extra.a[1].seconds\": number Infinity is out of range for a double"));
        given().multiPart("model", "sora-2").multiPart("prompt", "x").multiPart("extra", "{\"seconds\":-1e999}")
                .when().post("/v1/videos")
                .then()
                .statusCode(400)
                .body("error.message", equalTo(
                        "invalid JSON body: field \"extra.seconds\": number -Infinity is out of range for a double"));
        assertTrue(fake.submits().isEmpty());
    }

    @Test
    void shouldTakeIdempotencyKeysUpTo255CharactersAndRefuseLongerOnesWith400() {
        // a regression: a key of a few thousand characters reached the unique index, which PostgreSQL refused (500)
        fake.onSubmit(Reply.json(503, "{}"));
        byte[] noise = new byte[3000];
        new Random().nextBytes(noise);
        String random = java.util.Base64.getUrlEncoder().encodeToString(noise);
        String longest = random.substring(0, 255);
        String body = "{\"model\":\"sora-2\",\"prompt\":\"idempotent\"}";
        String first = rows.track(given().contentType(ContentType.JSON).header("Idempotency-Key", longest).body(body)
                .when().post("/v1/videos").then().statusCode(202).extract().path("id"));
        given().contentType(ContentType.JSON).header("Idempotency-Key", longest).body(body)
                .when().post("/v1/videos").then().statusCode(202).body("id", equalTo(first));
        for (String tooLong : List.of(random.substring(0, 256), random)) {
            given().contentType(ContentType.JSON).header("Idempotency-Key", tooLong).body(body)
                    .when().post("/v1/videos")
                    .then()
                    .statusCode(400)
                    .body("error.type", equalTo("invalid_request_error"))
                    .body("error.message", equalTo("Idempotency-Key must be at most 255 characters"));
        }
        given().contentType(ContentType.JSON).header("Idempotency-Key", random)
                .body("{\"model\":\"music-2.5\",\"prompt\":\"a song\"}")
                .when().post("/v1/audio/music")
                .then()
                .statusCode(400)
                .body("error.message", equalTo("Idempotency-Key must be at most 255 characters"));
    }

    @Test
    void shouldPickUpAJobWhoseWorkerDiedBeforeSubmitting() {
        fake.onPolls(Reply.completed("videos", "https://cdn.example/v.mp4"));
        String id = "video_jtorphanpending";
        rows.insert(id, Map.of("lease_owner", "crashed-replica", "lease_expires_at", System.currentTimeMillis() - 1,
                "request_body", "{\"prompt\":\"" + id + "\"}"));

        awaitStatus("/v1/videos", id, "completed");

        assertEquals(1, fake.submits().size());
    }

    @Test
    void shouldGiveUpOnAJobInFlightPastTheHardCap() {
        String id = "video_jthardcapped000";
        rows.insert(id, Map.of("submit_state", "submitted", "vendor_task_id", "task-1", "submitted_at", 1L,
                "status", "in_progress"));

        JsonPath job = awaitStatus("/v1/videos", id, "failed");

        // retention 168h × hard-cap multiplier 3, in Go's form (it said PT504H)
        assertEquals("job did not finish within 504h0m0s; given up", job.getString("error.message"));
        assertEquals(0, fake.polls().size());
    }

    @Test
    void shouldStreamTheCompletedVideo() {
        byte[] mp4 = new byte[25_000];
        new Random(7).nextBytes(mp4);
        fake.onPolls(Reply.completed("videos", fake.asset("v.mp4", "video/mp4", mp4)));
        String id = createVideo();
        awaitStatus("/v1/videos", id, "completed");

        byte[] streamed = given()
                .accept("application/binary")
                .when().get("/v1/videos/" + id + "/content")
                .then()
                .statusCode(200)
                .contentType("video/mp4")
                .extract().asByteArray();

        assertArrayEquals(mp4, streamed);
    }

    @Test
    void shouldAnswerContentWhoseResultUrlIsNoUrlWithA502() {
        // a regression: a 500 with an ERROR stack trace (the URL was refused before the download began)
        fake.onPolls(Reply.completed("videos", "s3://bucket/v.mp4"));
        String id = createVideo();
        awaitStatus("/v1/videos", id, "completed");

        given()
                .when().get("/v1/videos/" + id + "/content")
                .then()
                .statusCode(502)
                .body("error.type", equalTo("upstream_error"))
                .body("error.message", startsWith("video download: "));
    }

    @Test
    void shouldRefuseContentVariantsOtherThanVideo() {
        fake.onPolls(Reply.completed("videos", "https://cdn.example/v.mp4"));
        String id = createVideo();
        awaitStatus("/v1/videos", id, "completed");

        given()
                .queryParam("variant", "thumbnail")
                .when().get("/v1/videos/" + id + "/content")
                .then()
                .statusCode(400)
                .body("error.type", equalTo("invalid_request_error"));
    }

    @Test
    void shouldRefuseContentOfAnUnfinishedVideo() {
        fake.onSubmit(Reply.json(503, "{}"));
        String id = createVideo();

        given()
                .when().get("/v1/videos/" + id + "/content")
                .then()
                .statusCode(400)
                .body("error.message", equalTo("video is not ready: status queued"));
    }

    @Test
    void shouldTakeReferenceImagesOver14MiBAsJsonDataUrisAndRefuseFilesOver20MiBWith413() {
        // a regression: a data URI longer than Jackson's default 20,000,000 characters (an image of about 14.3 MiB) was
        // a 400 "String value length … exceeds the maximum allowed"; and a multipart file had no size limit of its own
        // refused for good, so the worker sends the 20 MB submit once and does not retry it into the next test
        fake.onSubmit(Reply.json(402, "{\"task_info\":{\"error\":{\"code\":402,\"title\":\"payment required\"}}}"));
        byte[] png = new byte[15 * 1024 * 1024]; // 20,971,544 characters as a data URI
        new Random(5).nextBytes(png);
        System.arraycopy(new byte[] { (byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10 }, 0, png, 0, 8);
        String dataUri = "data:image/png;base64," + java.util.Base64.getEncoder().encodeToString(png);

        String id = rows.track(given().contentType(ContentType.JSON)
                .body("{\"model\":\"sora-2\",\"prompt\":\"big\",\"input_reference\":\"" + dataUri + "\"}")
                .when().post("/v1/videos")
                .then() // no request logging: REST Assured would print the megabytes
                .statusCode(202)
                .extract().path("id"));
        await().atMost(WAIT).until(() -> rows.column(id, "status").equals("failed"));
        assertEquals(1, fake.submits().size());
        assertTrue(fake.submits().get(0).body().contains(dataUri), "the whole image reached the upstream");

        byte[] tooBig = java.util.Arrays.copyOf(png, 21 * 1024 * 1024);
        given()
                .multiPart("model", "sora-2")
                .multiPart("prompt", "too big")
                .multiPart("input_reference", "big.png", tooBig, "image/png")
                .when().post("/v1/videos")
                .then() // no request logging: REST Assured would print the megabytes
                .statusCode(413)
                .body("error.type", equalTo("invalid_request_error"))
                .body("error.message", equalTo("file \"big.png\" is 22020096 bytes; max is 20971520"));
    }

    @Test
    void shouldAcceptTheOpenAiSdkMultipartForm() {
        fake.onSubmit(Reply.json(503, "{}"));
        byte[] png = { (byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10 };

        String id = rows.track(given()
                .multiPart("model", "sora-2")
                .multiPart("prompt", "a cat ".repeat(1000))
                .multiPart("seconds", "8")
                .multiPart("size", "1280x720")
                .multiPart("input_reference", "ref.png", png, "application/octet-stream")
                .when().post("/v1/videos")
                .then()
                .log().ifValidationFails()
                .statusCode(202)
                .body("object", equalTo("video"))
                .body("seconds", equalTo("8"))
                .body("size", equalTo("1280x720"))
                .extract().path("id"));

        await().atMost(WAIT).until(() -> !fake.submits().isEmpty());
        JsonPath sent = new JsonPath(fake.submits().get(0).body());
        assertEquals("a cat ".repeat(1000), sent.getString("prompt"));
        assertThat(fake.submits().get(0).body(), containsString("data:image/png;base64,"));
        assertEquals("8", new JsonPath(rows.column(id, "request_echo")).getString("seconds"));
    }

    @Test
    void shouldRejectATruncatedMultipartBodyWithA400() {
        given().contentType("multipart/form-data; boundary=xyz")
                .body("--xyz\r\nContent-Disposition: form-data; name=\"model\"\r\n\r\nsora".getBytes())
        .when().post("/v1/videos")
        .then().log().ifValidationFails()
                .statusCode(400)
                .contentType(startsWith("application/json"))
                .body("error.type", equalTo("invalid_request_error"))
                .body("error.message", startsWith("multipart: "));
    }

    @Test
    void shouldAnswerMalformedMultipartBodiesWith400NotA500() {
        // regressions: each of these failed inside Quarkus' form parser or JobForm with a 500
        MalformedMultipart.expect400("/v1/videos", "sora-2");
        MalformedMultipart.expect400("/v1/audio/music", "music-2.5");
        // a part with no name is skipped, as Go's form reader does
        fake.onSubmit(Reply.json(503, "{}"));
        rows.track(given().contentType("multipart/form-data; boundary=D")
                .body(("--D\r\nContent-Disposition: form-data\r\n\r\nnameless\r\n--D\r\n"
                        + "Content-Disposition: form-data; name=\"model\"\r\n\r\nsora-2\r\n"
                        + "--D\r\nContent-Disposition: form-data; name=\"prompt\"\r\n\r\na boat\r\n--D--\r\n")
                        .getBytes())
                .when().post("/v1/videos")
                .then().log().ifValidationFails()
                .statusCode(202)
                .body("prompt", equalTo("a boat"))
                .extract().path("id"));
    }

    @Test
    void shouldRejectAMultipartFormWithAWronglyTypedField() {
        given()
                .multiPart("model", "sora-2")
                .multiPart("prompt", "a cat")
                .multiPart("duration", "four")
                .when().post("/v1/videos")
                .then()
                .statusCode(400)
                .body("error.message", startsWith("invalid JSON body: "));
    }

    @Test
    void shouldRefuseNestedFormFieldsInsteadOfDroppingThem() {
        // a regression: extra[model] (how the SDKs put an object in a form) was ignored as an unknown field, and the
        // job went upstream without it, on another model
        for (String[] route : new String[][] { { "/v1/videos", "veo" }, { "/v1/audio/music", "music-2.5" } }) {
            for (String nested : List.of("extra[model]", "multi_prompt[][prompt]", "input_reference[file_id]")) {
                given()
                        .multiPart("model", route[1])
                        .multiPart("prompt", "a song")
                        .multiPart(nested, "x")
                        .when().post(route[0])
                        .then()
                        .statusCode(400)
                        .body("error.type", equalTo("invalid_request_error"))
                        .body("error.message", equalTo("multipart: field \"" + nested + "\" is not supported: a form "
                                + "cannot carry nested fields here; send this request as JSON"));
            }
        }
        assertEquals(0, fake.submits().size());
    }
}
