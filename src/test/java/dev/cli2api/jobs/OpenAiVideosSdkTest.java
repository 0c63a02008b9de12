package dev.cli2api.jobs;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.UUID;

import javax.sql.DataSource;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.core.http.HttpResponse;
import com.openai.core.http.HttpResponseFor;
import com.openai.errors.NotFoundException;
import com.openai.models.videos.Video;
import com.openai.models.videos.VideoCreateError;
import com.openai.models.videos.VideoCreateParams;
import com.openai.models.videos.VideoDeleteResponse;
import com.openai.models.videos.VideoListPage;
import com.openai.models.videos.VideoListParams;
import com.openai.models.videos.VideoModel;
import com.openai.models.videos.VideoSeconds;
import com.openai.models.videos.VideoSize;

import dev.cli2api.testsupport.FakeMuleRun;
import dev.cli2api.testsupport.FakeMuleRun.Reply;
import dev.cli2api.testsupport.InjectFakeMuleRun;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;

/**
 * The official OpenAI Java SDK, unmodified, against the video job routes: {@code videos().create} (always multipart,
 * with and without an {@code input_reference} file), {@code retrieve}, {@code list} with its cursor pages,
 * {@code downloadContent} and {@code delete}, while the worker drives each job through the fake MuleRun. SDK 4.8.0
 * has no {@code createAndPoll}; {@link #poll} does what the other SDKs' helper does, reading
 * {@code openai-poll-after-ms} from the raw response.
 */
@QuarkusTest
@TestProfile(JobsProfile.class)
class OpenAiVideosSdkTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final byte[] PNG_MAGIC = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 0};

    @InjectFakeMuleRun
    FakeMuleRun fake;

    @Inject
    MeterRegistry registry;

    @ConfigProperty(name = "quarkus.http.test-port")
    int port;

    @Inject
    DataSource dataSource;

    private final ObjectMapper json = new ObjectMapper();
    private OpenAIClient client;
    private JobRows rows;

    @BeforeEach
    void setUp() {
        fake.reset();
        rows = new JobRows(dataSource);
        // a key of its own, so list() sees exactly this test's videos (auth is off: lists are scoped to the key)
        client = OpenAIOkHttpClient.builder().baseUrl("http://127.0.0.1:" + port + "/v1")
                .apiKey("sk-videos-" + UUID.randomUUID()).maxRetries(0).build();
    }

    @AfterEach
    void tearDown() {
        rows.deleteCreatedAndSettle(registry);
        client.close();
    }

    private Video create(String prompt) {
        return track(client.videos().create(VideoCreateParams.builder().model(VideoModel.SORA_2).prompt(prompt)
                .seconds(VideoSeconds._8).size(VideoSize._1280X720).build()));
    }

    private Video track(Video video) {
        rows.track(video.id());
        return video;
    }

    /**
     * Retrieves until the job is terminal, as the SDKs' polling helpers do: between calls it reads
     * {@code openai-poll-after-ms} (checked to be present and sane) and waits that long, capped at 200 ms to keep the
     * test quick. Returns the job at each status change, in order.
     */
    private List<Video> poll(String id) throws InterruptedException {
        List<Video> seen = new ArrayList<>();
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            try (HttpResponseFor<Video> response = client.videos().withRawResponse().retrieve(id)) {
                Video video = response.parse();
                if (seen.isEmpty() || !seen.get(seen.size() - 1).status().equals(video.status())) {
                    seen.add(video);
                }
                if (video.status().equals(Video.Status.COMPLETED) || video.status().equals(Video.Status.FAILED)) {
                    return seen;
                }
                long wait = response.headers().values("openai-poll-after-ms").stream().findFirst()
                        .map(Long::parseLong)
                        .orElseThrow(() -> new AssertionError("no openai-poll-after-ms on an unfinished job"));
                assertTrue(wait >= JobViews.MIN_POLL_AFTER_MS, "poll hint " + wait);
                assertTrue(System.nanoTime() < deadline, "still " + video.status() + " after " + WAIT);
                Thread.sleep(Math.min(wait, 200));
            }
        }
    }

    /** Creates a video, polls it to the end, checks that it failed and returns the job as last seen. */
    private Video failedVideo(String prompt) throws InterruptedException {
        List<Video> seen = poll(create(prompt).id());
        Video failed = seen.get(seen.size() - 1);
        assertEquals(Video.Status.FAILED, failed.status());
        assertTrue(failed.completedAt().isPresent());
        failed.validate();
        return failed;
    }

    @Test
    void createReturnsAQueuedVideoTheSdkParses() {
        fake.onSubmit(Reply.json(503, "{}"));

        Video video = create("a cat on a skateboard");

        assertTrue(video.id().matches("^video_[a-z2-7]{16}$"), video.id());
        assertEquals(JsonValue.from("video"), video._object_());
        assertEquals(Video.Status.QUEUED, video.status());
        assertEquals(VideoModel.SORA_2, video.model());
        assertEquals(0, video.progress());
        assertEquals("a cat on a skateboard", video.prompt().orElseThrow());
        assertEquals(VideoSeconds._8, video.seconds());
        assertEquals(VideoSize._1280X720, video.size());
        assertTrue(video.createdAt() > 0);
        assertTrue(video.expiresAt().orElseThrow() > video.createdAt());
        assertTrue(video.completedAt().isEmpty());
        assertTrue(video.error().isEmpty());
        assertTrue(video.remixedFromVideoId().isEmpty());
        video.validate();
    }

    @Test
    void aVideoCreatedWithoutSecondsOrSizeShowsOpenAisDefaultsTheSdkRequires() throws Exception {
        fake.onPolls(Reply.completed("videos", "https://cdn.example/default.mp4"));

        Video created = track(client.videos().create(VideoCreateParams.builder().model(VideoModel.SORA_2_PRO)
                .prompt("a lighthouse at dusk").build()));
        List<Video> seen = poll(created.id());
        Video done = seen.get(seen.size() - 1);
        Video listed = client.videos().list().data().stream().filter(video -> video.id().equals(created.id()))
                .findFirst().orElseThrow();

        for (Video video : List.of(created, done, listed)) {
            assertEquals(VideoSeconds._4, video.seconds(), video.id());
            assertEquals(VideoSize._720X1280, video.size(), video.id());
            video.validate();
        }
        assertEquals(Video.Status.COMPLETED, done.status());
        // nothing was sent upstream that the request did not ask for
        JsonNode upstream = json.readTree(rows.column(created.id(), "request_body"));
        assertFalse(upstream.has("seconds"), upstream.toString());
        assertFalse(upstream.has("size"), upstream.toString());
    }

    @Test
    void retrieveFollowsTheJobFromQueuedThroughInProgressToCompleted() throws Exception {
        fake.onPolls(Reply.status("processing"));
        Video created = create("a slow sunrise");

        await().atMost(WAIT).until(() -> client.videos().retrieve(created.id()).status(),
                Video.Status.IN_PROGRESS::equals);
        fake.onPolls(Reply.completed("videos", "https://cdn.example/sunrise.mp4"));
        List<Video> seen = poll(created.id());

        Video done = seen.get(seen.size() - 1);
        assertEquals(List.of(Video.Status.IN_PROGRESS, Video.Status.COMPLETED),
                seen.stream().map(Video::status).toList());
        assertEquals(50, seen.get(0).progress());
        assertEquals(created.id(), done.id());
        assertEquals(100, done.progress());
        assertTrue(done.completedAt().orElseThrow() >= created.createdAt());
        assertTrue(done.error().isEmpty());
        assertEquals(VideoSeconds._8, done.seconds());
        done.validate();
        assertEquals(1, fake.submits().size());
    }

    @Test
    void pollingAFreshJobEndsCompleted() throws Exception {
        fake.onPolls(Reply.status("pending"), Reply.status("processing"),
                Reply.completed("videos", "https://cdn.example/v.mp4"));
        Video created = create("a dog");

        List<Video> seen = poll(created.id());

        assertEquals(Video.Status.COMPLETED, seen.get(seen.size() - 1).status());
        assertTrue(List.of(Video.Status.QUEUED, Video.Status.IN_PROGRESS, Video.Status.COMPLETED)
                .containsAll(seen.stream().map(Video::status).toList()), seen.toString());
    }

    @Test
    void aFailedJobCarriesAStringErrorCode() throws Exception {
        fake.onPolls(Reply.vendorFailure(3005, "content policy", "prompt rejected"));

        VideoCreateError error = failedVideo("something forbidden").error().orElseThrow();

        assertEquals("3005", error.code());
        assertEquals("[3005] content policy: prompt rejected", error.message());
    }

    @Test
    void aJobFailedWithoutAVendorCodeStillHasAStringCode() throws Exception {
        fake.onSubmit(Reply.connectionDrop());

        VideoCreateError error = failedVideo("lost at submit").error().orElseThrow();

        assertEquals("job_failed", error.code());
        assertTrue(error.message().startsWith(JobWorker.UNKNOWN_SUBMISSION), error.message());
    }

    @Test
    void createUploadsAnInputReferenceFileAsMultipart() throws Exception {
        fake.onSubmit(Reply.json(503, "{}"));
        Path image = Files.createTempFile("first-frame", ".png");
        Files.write(image, PNG_MAGIC);

        Video fromPath = track(client.videos().create(VideoCreateParams.builder().model(VideoModel.SORA_2)
                .prompt("animate this").inputReference(image).seconds(VideoSeconds._4).build()));
        Video fromBytes = track(client.videos().create(VideoCreateParams.builder().model(VideoModel.SORA_2)
                .prompt("animate these bytes").inputReference(PNG_MAGIC).build()));

        assertEquals(Video.Status.QUEUED, fromPath.status());
        assertEquals(VideoSeconds._4, fromPath.seconds());
        String dataUri = "data:image/png;base64," + java.util.Base64.getEncoder().encodeToString(PNG_MAGIC);
        for (Video video : List.of(fromPath, fromBytes)) {
            JsonNode upstream = json.readTree(rows.column(video.id(), "request_body"));
            assertEquals(video.prompt().orElseThrow(), upstream.path("prompt").asText());
            assertEquals(dataUri, upstream.path("input_reference").asText(), video.id());
        }
    }

    @Test
    void downloadContentStreamsTheMp4TheUpstreamServed() throws Exception {
        byte[] mp4 = new byte[40_000];
        new Random(11).nextBytes(mp4);
        System.arraycopy(new byte[] {0, 0, 0, 0x18, 'f', 't', 'y', 'p'}, 0, mp4, 0, 8);
        fake.onPolls(Reply.completed("videos", fake.asset("clip.mp4", "video/mp4", mp4)));
        Video created = create("a clip to download");
        poll(created.id());

        try (HttpResponse response = client.videos().downloadContent(created.id());
                InputStream body = response.body()) {
            assertEquals(200, response.statusCode());
            assertEquals("video/mp4", response.headers().values("Content-Type").get(0));
            assertArrayEquals(mp4, body.readAllBytes());
        }
    }

    @Test
    void listPagesThroughTheCallersVideosWithCursors() {
        fake.onSubmit(Reply.json(503, "{}"));
        Set<String> created = new HashSet<>();
        for (int i = 0; i < 3; i++) {
            created.add(create("list " + i).id());
        }

        VideoListPage first = client.videos().list(VideoListParams.builder().limit(2)
                .order(VideoListParams.Order.ASC).build());
        assertEquals(2, first.data().size());
        assertTrue(first.hasMore().orElseThrow());
        assertEquals(first.data().get(1).id(), first.lastId().orElseThrow());
        assertTrue(first.hasNextPage());
        VideoListPage second = first.nextPage();
        assertEquals(first.lastId().orElseThrow(), second.params().after().orElseThrow());
        assertEquals(1, second.data().size());
        assertFalse(second.hasMore().orElseThrow());

        List<String> paged = new ArrayList<>();
        client.videos().list(VideoListParams.builder().limit(2).order(VideoListParams.Order.ASC).build())
                .autoPager().forEach(video -> paged.add(video.id()));
        assertEquals(3, paged.size(), paged.toString());
        assertEquals(created, new HashSet<>(paged));
        assertEquals(paged.subList(0, 2), first.data().stream().map(Video::id).toList());

        List<String> newestFirst = client.videos().list(VideoListParams.builder().order(VideoListParams.Order.DESC)
                .build()).data().stream().map(Video::id).toList();
        List<String> reversed = new ArrayList<>(paged);
        java.util.Collections.reverse(reversed);
        assertEquals(reversed, newestFirst);
    }

    @Test
    void deletingEachVideoWhileTheSdkPagesOnDeletesThemAll() {
        // a regression: the next page was asked for after the last video just deleted, and the list answered 404
        fake.onSubmit(Reply.json(503, "{}"));
        Set<String> created = new HashSet<>();
        for (int i = 0; i < 5; i++) {
            created.add(create("clean up " + i).id());
        }

        Set<String> deleted = new HashSet<>();
        client.videos().list(VideoListParams.builder().limit(2).build()).autoPager()
                .forEach(video -> deleted.add(client.videos().delete(video.id()).id()));

        assertEquals(created, deleted);
        assertTrue(client.videos().list().data().isEmpty());
    }

    @Test
    void deleteRemovesTheJob() {
        fake.onSubmit(Reply.json(503, "{}"));
        Video created = create("short-lived");

        VideoDeleteResponse deleted = client.videos().delete(created.id());

        assertEquals(created.id(), deleted.id());
        assertTrue(deleted.deleted());
        assertEquals(JsonValue.from("video.deleted"), deleted._object_());
        assertFalse(rows.exists(created.id()));
        NotFoundException gone = assertThrows(NotFoundException.class, () -> client.videos().retrieve(created.id()));
        assertTrue(gone.getMessage().contains("video job not found: " + created.id()), gone.getMessage());
        assertTrue(client.videos().list().data().isEmpty());
        assertThrows(NotFoundException.class, () -> client.videos().delete(created.id()));
    }
}
