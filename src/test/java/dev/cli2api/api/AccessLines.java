package dev.cli2api.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Captures the access log's lines for a test: {@link #start} before the requests, {@link #stop} after the test. */
final class AccessLines {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final AccessLog accessLog;
    private final ByteArrayOutputStream captured = new ByteArrayOutputStream();
    private OutputStream before;

    AccessLines(AccessLog accessLog) {
        this.accessLog = accessLog;
    }

    void start() {
        before = accessLog.redirect(captured);
    }

    void stop() {
        accessLog.redirect(before);
    }

    /** The access lines written so far with {@code request_id} (every request is logged once its answer is sent). */
    List<JsonNode> linesFor(String requestId) throws Exception {
        List<JsonNode> found = new ArrayList<>();
        for (int attempt = 0; attempt < 100 && found.isEmpty(); attempt++) {
            Thread.sleep(attempt == 0 ? 0 : 50);
            accessLog.flush();
            String text;
            synchronized (accessLog) {
                text = captured.toString(StandardCharsets.UTF_8);
            }
            for (String line : text.split("\n")) {
                JsonNode json = JSON.readTree(line);
                if (requestId.equals(json.path("request_id").asText())) {
                    found.add(json);
                }
            }
        }
        return found;
    }

    /** The one access line of {@code requestId}. */
    JsonNode lineFor(String requestId) throws Exception {
        List<JsonNode> lines = linesFor(requestId);
        assertEquals(1, lines.size(), lines::toString);
        return lines.get(0);
    }
}
