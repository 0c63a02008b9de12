package dev.cli2api.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.cli2api.testsupport.FakeMuleRun;
import dev.cli2api.testsupport.ItDatabase;
import dev.cli2api.testsupport.PackagedService;

/**
 * The job routes that do not run the worker read a job's columns, never its request body: a video job's body holds
 * its reference images as data URIs (up to 20 MiB each), and a page of such jobs loaded every body — on the packaged
 * service's 256 MiB heap, twenty-one 20 MB bodies ran it out of memory and {@code GET /v1/videos} answered 500 for
 * that key until the jobs expired.
 */
class LargeJobBodiesIT {

    private static final int JOBS = 21;
    private static final int BODY_CHARS = 20_000_000;

    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = dev.cli2api.api.JsonSupport.configure(new ObjectMapper());

    @Test
    void listingCursorsDeletingAndContentNeverLoadTheBodies() throws Exception {
        String url = ItDatabase.dropped("_it_large_bodies");
        Map<String, String> env = ItDatabase.apiOnly(url, "muk-large-bodies-it");
        try (PackagedService service = PackagedService.start(env, Path.of("target", "large-bodies-it", "service.log"))) {
            try (Connection c = DriverManager.getConnection(url, ItDatabase.credentials());
                    PreparedStatement insert = c.prepareStatement("INSERT INTO jobs (local_id, kind, model, "
                            + "vendor_path, created_at, status, result_urls, request_body, request_echo) VALUES (?, "
                            + "'video', 'sora-2', '/vendors/openai/v1/sora-2/generation', ?, ?, ?, "
                            + "jsonb_build_object('input_reference', repeat('a', ?)), '{\"prompt\":\"big\"}')")) {
                // built by the server (and stored compressed), so the test sends none of it
                for (int i = 0; i < JOBS; i++) {
                    insert.setString(1, String.format("video_itlargebody%04d", i));
                    insert.setLong(2, 1_800_000_000L + i);
                    insert.setString(3, i == 0 ? "completed" : "queued");
                    insert.setString(4, i == 0 ? "[\"http://127.0.0.1:1/v.mp4\"]" : "[]");
                    insert.setInt(5, BODY_CHARS);
                    insert.executeUpdate();
                }
            }
            String base = service.baseUrl() + "/v1/videos";

            JsonNode page = ok(get(base + "?limit=20"), service);
            assertEquals(20, page.path("data").size());
            assertTrue(page.path("has_more").asBoolean());
            assertEquals("video_itlargebody0020", page.path("first_id").asText());
            assertEquals("big", page.path("data").path(0).path("prompt").asText());

            JsonNode rest = ok(get(base + "?limit=20&after=" + page.path("last_id").asText()), service);
            assertEquals("video_itlargebody0000", rest.path("data").path(0).path("id").asText());
            assertEquals("completed", rest.path("data").path(0).path("status").asText());

            HttpResponse<String> notReady = get(base + "/video_itlargebody0005/content");
            assertEquals(400, notReady.statusCode(), notReady.body());

            HttpResponse<String> deleted = http.send(HttpRequest.newBuilder(URI.create(base + "/video_itlargebody0005"))
                    .DELETE().build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, deleted.statusCode(), deleted.body());
            assertEquals(JOBS - 1, ok(get(base + "?limit=100"), service).path("data").size());
            service.stop();
        }
    }

    @Test
    void aListOfJobsWithLargePromptsPagesOnInsteadOfRunningOutOfMemory() throws Exception {
        // a regression: a page carried every prompt on it, so eight jobs with 20 MB prompts (each within the body
        // limit of this 256 MiB heap) made GET /v1/videos a 500 for their owner for as long as they lived
        String url = ItDatabase.dropped("_it_large_echoes");
        try (PackagedService service = PackagedService.start(ItDatabase.apiOnly(url, "muk-large-bodies-it"),
                Path.of("target", "large-bodies-it", "echoes.log"))) {
            try (Connection c = DriverManager.getConnection(url, ItDatabase.credentials());
                    PreparedStatement insert = c.prepareStatement("INSERT INTO jobs (local_id, kind, model, "
                            + "vendor_path, created_at, request_echo) VALUES (?, 'video', 'sora-2', "
                            + "'/vendors/openai/v1/sora-2/generation', ?, jsonb_build_object('prompt', repeat(?, ?)))")) {
                for (int i = 0; i < 8; i++) {
                    insert.setString(1, String.format("video_itlargeecho%04d", i));
                    insert.setLong(2, 1_800_000_000L + i);
                    insert.setString(3, String.valueOf((char) ('a' + i)));
                    insert.setInt(4, 20_000_000);
                    insert.executeUpdate();
                }
            }
            java.util.List<String> seen = new java.util.ArrayList<>();
            String after = null;
            do {
                JsonNode page = ok(get(service.baseUrl() + "/v1/videos?limit=100"
                        + (after == null ? "" : "&after=" + after)), service);
                for (JsonNode video : page.path("data")) {
                    String prompt = video.path("prompt").asText();
                    assertEquals(20_000_000, prompt.length());
                    seen.add(video.path("id").asText() + ":" + prompt.charAt(0));
                }
                after = page.path("has_more").asBoolean() ? page.path("last_id").asText() : null;
            } while (after != null && seen.size() < 10);
            assertEquals(java.util.List.of("video_itlargeecho0007:h", "video_itlargeecho0006:g", "video_itlargeecho0005:f",
                    "video_itlargeecho0004:e", "video_itlargeecho0003:d", "video_itlargeecho0002:c",
                    "video_itlargeecho0001:b", "video_itlargeecho0000:a"), seen);
            service.stop();
        }
    }

    @Test
    void bodiesWithinTheHeapsShareAreQueuedListedAndSubmittedAndLargerOnesAreTooLarge() throws Exception {
        // regressions, on this 256 MiB heap: a 24 MB prompt answered 500 (its echo was written through chars, five
        // times its size in transient heap), and so did a 15 MB one of ASCII and one character outside Latin-1 (Java
        // then keeps it at two bytes a character), and a body too large for the heap was let in whenever no other was
        // in flight; now a body within a twentieth of the heap (12.9 MB here) is queued, submitted whole (the worker
        // sends the stored text as it is) and listed, and a larger one is refused as too large before it is read
        FakeMuleRun fake = new FakeMuleRun();
        fake.start();
        fake.onPolls(FakeMuleRun.Reply.completed("videos", "http://127.0.0.1:1/v.mp4"));
        String url = ItDatabase.dropped("_it_large_prompts");
        Map<String, String> env = new java.util.HashMap<>(ItDatabase.apiOnly(url, "muk-large-bodies-it"));
        env.put("MULERUN_API_BASE_URL", fake.baseUrl());
        env.put("CLI2API_WORKER_INTERVAL", "100ms");
        env.put("CLI2API_POLL_INTERVAL", "100ms");
        try (PackagedService service = PackagedService.start(env, Path.of("target", "large-bodies-it", "prompts.log"))) {
            int mb = 1 << 20;
            // the largest first, while the worker is idle (a body the worker is submitting takes heap of its own; see
            // docs/operations.md), and starting with characters outside ASCII and Latin-1, its worst case
            for (int size : new int[] { 12 * mb, 4 * mb, 8 * mb }) {
                String prompt = size == 12 * mb ? "\u00e9\u4e2d" + "a".repeat(size - 2) : "a".repeat(size);
                HttpResponse<String> answer = post(service, "{\"model\":\"sora-2\",\"prompt\":\"" + prompt + "\"}");
                assertEquals(202, answer.statusCode(), () -> size + " chars: " + answer.statusCode() + "\n"
                        + service.logTail());
                assertEquals(prompt, json.readTree(answer.body()).path("prompt").asText());
            }
            HttpResponse<String> reference = post(service, "{\"model\":\"sora-2\",\"prompt\":\"p\","
                    + "\"input_reference\":\"data:image/png;base64," + "A".repeat(12 * mb) + "\"}");
            assertEquals(202, reference.statusCode(), () -> reference.body() + "\n" + service.logTail());

            // refused on its Content-Length, before a byte of it is read
            String tooLarge = dev.cli2api.testsupport.RawHttp.exchange(URI.create(service.baseUrl()).getPort(),
                    "POST /v1/videos HTTP/1.1\nHost: localhost\nContent-Type: application/json\nContent-Length: "
                            + 16 * mb, new byte[0]);
            assertTrue(tooLarge.startsWith("HTTP/1.1 400"), tooLarge);
            assertTrue(tooLarge.contains("{\"error\":{\"message\":\"invalid JSON body: http: request body too large\","
                    + "\"type\":\"invalid_request_error\"}}"), tooLarge);
            assertEquals(4, jobs(url));

            // every job submitted once, its body whole, and completed
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(60)).untilAsserted(() -> {
                assertEquals(4, completed(url), service::logTail);
            });
            assertEquals(4, fake.submits().size());
            assertTrue(fake.submits().stream().anyMatch(r -> r.body().contains("A".repeat(12 * mb))));
            assertTrue(fake.submits().stream().anyMatch(r -> r.body().contains("\u00e9\u4e2d" + "a".repeat(12 * mb - 2))));

            // the list pages on through all four, each page within its share
            java.util.List<String> seen = new java.util.ArrayList<>();
            String after = null;
            int pages = 0;
            do {
                JsonNode page = ok(get(service.baseUrl() + "/v1/videos?limit=100&order=asc"
                        + (after == null ? "" : "&after=" + after)), service);
                page.path("data").forEach(video -> seen.add(video.path("id").asText()));
                after = page.path("has_more").asBoolean() ? page.path("last_id").asText() : null;
                pages++;
            } while (after != null && pages < 10);
            assertEquals(4, seen.size(), seen::toString);
            assertEquals(4, new java.util.HashSet<>(seen).size());
            assertTrue(pages > 1, "a page carries echoes of about a twentieth of the heap (12.9 MB here)");
            service.stop();
            assertTrue(!java.nio.file.Files.readString(service.log()).contains("OutOfMemoryError"), service::logTail);
        } finally {
            fake.stop();
        }
    }

    private HttpResponse<String> post(PackagedService service, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(service.baseUrl() + "/v1/videos"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static int completed(String url) throws Exception {
        return count(url, "SELECT count(*) FROM jobs WHERE status = 'completed'");
    }

    private static int jobs(String url) throws Exception {
        return count(url, "SELECT count(*) FROM jobs");
    }

    private static int count(String url, String query) throws Exception {
        try (Connection c = DriverManager.getConnection(url, ItDatabase.credentials());
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(query)) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private HttpResponse<String> get(String uri) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(uri)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode ok(HttpResponse<String> answer, PackagedService service) throws Exception {
        assertEquals(200, answer.statusCode(), () -> answer.body() + "\n" + service.logTail());
        return json.readTree(answer.body());
    }
}
