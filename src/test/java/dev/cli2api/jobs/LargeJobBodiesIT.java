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
    private final ObjectMapper json = new ObjectMapper();

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
    void aPromptTooLargeForTheHeapIsRefusedBeforeItsJobIsStored() throws Exception {
        // a regression: the 202 was rendered from the stored job, so a prompt of 22 or 24 MB on this 256 MiB heap
        // stored its job (and the worker paid for it), then failed rendering the answer with a 500, which the SDKs
        // retry, queueing another; now whatever runs out of memory does so before anything is stored
        String url = ItDatabase.dropped("_it_large_prompts");
        try (PackagedService service = PackagedService.start(ItDatabase.apiOnly(url, "muk-large-bodies-it"),
                Path.of("target", "large-bodies-it", "prompts.log"))) {
            int stored = 0;
            for (int mb : new int[] { 16, 20, 22, 24, 28 }) {
                String body = "{\"model\":\"sora-2\",\"prompt\":\"" + "a".repeat(mb << 20) + "\"}";
                HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(service.baseUrl()
                        + "/v1/videos")).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
                if (answer.statusCode() == 202) {
                    stored++;
                }
                assertTrue(answer.statusCode() == 202 || answer.statusCode() == 500, mb + " MB: " + answer.statusCode());
                assertEquals(stored, jobs(url), mb + " MB answered " + answer.statusCode() + " and stored a job");
            }
            service.stop();
        }
    }

    private static int jobs(String url) throws Exception {
        try (Connection c = DriverManager.getConnection(url, ItDatabase.credentials());
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM jobs")) {
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
