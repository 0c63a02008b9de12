package dev.cli2api.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The access line's JSON and the batched writer: whole lines, in order, in pipe-sized writes, none dropped. */
class AccessLogWriterTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Remembers each write call separately. */
    private static final class Writes extends OutputStream {
        final List<byte[]> calls = new ArrayList<>();

        @Override
        public synchronized void write(int b) {
            calls.add(new byte[] { (byte) b });
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            ByteArrayOutputStream copy = new ByteArrayOutputStream();
            copy.write(b, off, len);
            calls.add(copy.toByteArray());
        }

        synchronized String text() {
            StringBuilder all = new StringBuilder();
            calls.forEach(call -> all.append(new String(call, StandardCharsets.UTF_8)));
            return all.toString();
        }
    }

    @Test
    void theLineIsOneJsonObjectWithTheSpecsFields() throws Exception {
        String line = AccessLog.line(1_764_000_000_123L, "GET", "/v1/videos/video_x", 200, 306, 4, "host/AbC-000001");

        assertTrue(line.endsWith("}\n") && line.indexOf('\n') == line.length() - 1, line);
        JsonNode json = JSON.readTree(line);
        assertEquals("2025-11-24T16:00:00.123Z", json.path("timestamp").asText());
        assertEquals("INFO", json.path("level").asText());
        assertEquals("cli2api.http", json.path("loggerName").asText());
        assertEquals("http", json.path("message").asText());
        assertEquals("GET", json.path("method").asText());
        assertEquals("/v1/videos/video_x", json.path("path").asText());
        assertEquals(200, json.path("status").asInt());
        assertEquals(306, json.path("bytes").asLong());
        assertEquals(4, json.path("duration_ms").asLong());
        assertEquals("host/AbC-000001", json.path("request_id").asText());
    }

    @Test
    void oddCharactersAreEscapedSoTheLineStaysOneValidLine() throws Exception {
        String path = "/v1/\"quoted\"\\back\nnew\u0001ctl/ünï";
        String line = AccessLog.line(0, "GET", path, 404, 18, 0, "id\"with\\odd\tchars");

        assertEquals(line.length() - 1, line.indexOf('\n'), line);
        JsonNode json = JSON.readTree(line);
        assertEquals(path, json.path("path").asText());
        assertEquals("id\"with\\odd\tchars", json.path("request_id").asText());
    }

    @Test
    void linesAreWrittenInOrderInWholeLinePipeSizedWrites() {
        Writes out = new Writes();
        AccessLog log = new AccessLog(out, 10_000);
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            log.log("GET", "/v1/videos/video_" + i, 200, i, 1, "req-" + i);
            expected.add("\"request_id\":\"req-" + i + "\"}");
        }
        log.close();

        String[] lines = out.text().split("\n");
        assertEquals(500, lines.length);
        for (int i = 0; i < lines.length; i++) {
            assertTrue(lines[i].endsWith(expected.get(i)), lines[i]);
        }
        assertTrue(out.calls.size() < 500, "batched: " + out.calls.size() + " writes");
        for (byte[] call : out.calls) {
            assertTrue(call.length <= AccessLog.CHUNK, "a write of " + call.length + " bytes");
            assertEquals('\n', call[call.length - 1]);
        }
    }

    @Test
    void aFullQueueWritesTheLineAtOnceInsteadOfDroppingIt() {
        Writes out = new Writes();
        AccessLog log = new AccessLog(out, 1);
        for (int i = 0; i < 50; i++) {
            log.log("GET", "/healthz", 200, 2, 0, "full-" + i);
        }
        log.close();

        String text = out.text();
        for (int i = 0; i < 50; i++) {
            assertTrue(text.contains("\"request_id\":\"full-" + i + "\"}\n"), "line " + i + " missing");
        }
        assertEquals(50, text.split("\n").length);
    }

    @Test
    void aLineLongerThanAPipeWriteGoesOutWholeAndAlone() {
        Writes out = new Writes();
        AccessLog log = new AccessLog(out, 100);
        String longPath = "/v1/" + "p".repeat(AccessLog.CHUNK + 100);
        log.log("GET", "/a", 404, 18, 0, "before");
        log.log("GET", longPath, 404, 18, 0, "long");
        log.log("GET", "/b", 404, 18, 0, "after");
        log.close();

        String[] lines = out.text().split("\n");
        assertEquals(3, lines.length);
        assertTrue(lines[1].contains(longPath));
        assertTrue(out.calls.stream().anyMatch(call -> new String(call, StandardCharsets.UTF_8).contains(longPath)
                && !new String(call, StandardCharsets.UTF_8).contains("before")));
    }
}
