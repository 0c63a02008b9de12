package dev.cli2api.generation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.cli2api.testsupport.FakeMuleRun;
import dev.cli2api.testsupport.FakeMuleRun.Reply;
import dev.cli2api.testsupport.ItDatabase;
import dev.cli2api.testsupport.PackagedService;

/**
 * A speech download that breaks off mid-body ends its request for Quarkus too: the connection was closed, but Quarkus
 * still counted the request as in flight, and every later graceful shutdown of that replica waited its whole 15 s
 * ("Timed out waiting for graceful shutdown") while the job worker went on claiming.
 */
class BrokenDownloadShutdownIT {

    @Test
    void aBrokenOffDownloadDoesNotHoldUpTheNextShutdown() throws Exception {
        FakeMuleRun fake = new FakeMuleRun();
        fake.start();
        byte[] audio = new byte[200_000];
        fake.onPolls(Reply.completed("audios", fake.cutAsset("cut.mp3", "audio/mpeg", audio, 50_000)));
        Map<String, String> env = new HashMap<>(ItDatabase.apiOnly(ItDatabase.dropped("_it_broken_download"),
                "muk-broken-download-it"));
        env.put("MULERUN_API_BASE_URL", fake.baseUrl());
        env.put("CLI2API_POLL_INTERVAL", "100ms");
        try (PackagedService service = PackagedService.start(env,
                Path.of("target", "broken-download-it", "service.log"))) {
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            HttpRequest speech = HttpRequest.newBuilder(URI.create(service.baseUrl() + "/v1/audio/speech"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"speech-2.8-hd\",\"input\":\"hi\"}")).build();
            boolean cut;
            try {
                HttpResponse<byte[]> answer = http.send(speech, HttpResponse.BodyHandlers.ofByteArray());
                cut = answer.body().length < audio.length;
                assertEquals(200, answer.statusCode());
            } catch (IOException broken) {
                cut = true; // the client sees the cut body as an error: the answer never looks complete
            }
            assertTrue(cut, "the cut download must not look complete");

            service.stop();
            String log = Files.readString(service.log());
            assertFalse(log.contains("Timed out waiting for graceful shutdown"), log);
            assertFalse(log.contains("Waiting for HTTP requests to complete"), log);
        } finally {
            fake.stop();
        }
    }
}
