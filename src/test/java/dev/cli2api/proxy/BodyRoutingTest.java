package dev.cli2api.proxy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import dev.cli2api.api.ApiException;
import dev.cli2api.catalog.ModelCatalog;

/** Chat/responses body handling of spec §8.6, without HTTP. */
class BodyRoutingTest {

    private final BodyRouting routing = new BodyRouting(new ModelCatalog());

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] gzip(byte[] plain) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(plain);
        }
        return out.toByteArray();
    }

    @Test
    void vendorPrefixRoutesChatAndReplacesOnlyTheModelValue() {
        byte[] body = utf8("{ \"n\": 9007199254740993,\n  \"model\" : \"openai/gpt-5.5\", \"x\":1.50}");
        Outbound out = routing.plan(ProxySurface.CHAT, null, body);
        assertEquals("/vendors/openai/v1/chat/completions", out.path());
        assertEquals("{ \"n\": 9007199254740993,\n  \"model\" : \"gpt-5.5\", \"x\":1.50}",
                new String(out.body(), StandardCharsets.UTF_8));
        assertEquals("openai/gpt-5.5", out.model().orElseThrow());
    }

    @ParameterizedTest
    @ValueSource(strings = { "{\"model\":\"gpt-5\"}", "{\"model\":\"google/gemini-3\"}", "{\"model\":\"openai/\"}",
            "not json", "{\"messages\":[]}", "{\"model\":\"/x\"}", "{\"model\":42}", "{\"model\":\"openai/x\"} trailing",
            "" })
    void otherBodiesAreForwardedByteIdenticalToChat(String text) {
        byte[] body = utf8(text);
        Outbound out = routing.plan(ProxySurface.CHAT, "", body);
        assertEquals("/v1/chat/completions", out.path());
        assertArrayEquals(body, out.body());
    }

    @Test
    void modelAfterLargeMessagesIsStillRouted() {
        String filler = "x".repeat(8192);
        byte[] body = utf8("{\"messages\":[{\"role\":\"user\",\"content\":\"" + filler + "\"}],\"model\":\"openai/gpt-5\"}");
        Outbound out = routing.plan(ProxySurface.CHAT, "identity", body);
        assertEquals("/vendors/openai/v1/chat/completions", out.path());
        assertTrue(new String(out.body(), StandardCharsets.UTF_8).endsWith("\"model\":\"gpt-5\"}"));
        assertEquals(body.length - "openai/".length(), out.body().length);
    }

    @Test
    void responsesStripOnlyTheOpenAiPrefix() {
        Outbound stripped = routing.plan(ProxySurface.RESPONSES, null,
                utf8("{\"model\":\"openai/gpt-5.3-codex\",\"tools\":[{\"type\":\"web_search\"}],\"n\":9007199254740993}"));
        assertEquals("/vendors/openai/v1/responses", stripped.path());
        assertEquals("{\"model\":\"gpt-5.3-codex\",\"tools\":[{\"type\":\"web_search\"}],\"n\":9007199254740993}",
                new String(stripped.body(), StandardCharsets.UTF_8));
        for (String kept : new String[] { "{\"model\":\"google/gemini-3\"}", "{\"model\":\"future-vendor/m\"}",
                "{\"model\":\"openai/\"}", "{\"model\":\"gpt-5\"}", "{oops" }) {
            Outbound out = routing.plan(ProxySurface.RESPONSES, null, utf8(kept));
            assertEquals("/vendors/openai/v1/responses", out.path());
            assertArrayEquals(utf8(kept), out.body());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = { "UTF-16", "UTF-16LE", "UTF-16BE", "UTF-32", "UTF-32LE", "UTF-32BE", "UTF-8 BOM" })
    void bodiesGoWouldNotReadAsJsonAreForwardedByteIdenticalToChat(String encoding) {
        // Go's decoder reads UTF-8 only and refuses a byte order mark: no rewrite, the original bytes to chat
        String text = "{\"model\":\"openai/gpt-5.5\",\"messages\":[]}";
        byte[] body = encoding.equals("UTF-8 BOM") ? utf8("\uFEFF" + text) : text.getBytes(Charset.forName(encoding));
        Outbound out = routing.plan(ProxySurface.CHAT, null, body);
        assertEquals("/v1/chat/completions", out.path());
        assertArrayEquals(body, out.body());
        assertTrue(out.model().isEmpty());
    }

    @Test
    void gzipBodyIsDecodedAndRouted() throws IOException {
        byte[] plain = utf8("{\"model\":\"openai/gpt-5.5\",\"stream\":true}");
        Outbound out = routing.plan(ProxySurface.CHAT, " GZIP ", gzip(plain));
        assertTrue(out.decoded());
        assertEquals("/vendors/openai/v1/chat/completions", out.path());
        assertEquals("{\"model\":\"gpt-5.5\",\"stream\":true}", new String(out.body(), StandardCharsets.UTF_8));
    }

    @Test
    void badGzipIsRejectedWithTheReferenceMessages() throws IOException {
        ApiException header = assertThrows(ApiException.class,
                () -> routing.plan(ProxySurface.CHAT, "gzip", utf8("{\"model\":\"gpt-5\"}")));
        assertEquals(400, header.status());
        assertEquals("invalid_request", header.type());
        assertEquals("failed to read request body: invalid gzip body: gzip: invalid header", header.getMessage());

        byte[] whole = gzip(utf8("{\"model\":\"gpt-5\"}"));
        ApiException truncated = assertThrows(ApiException.class,
                () -> routing.plan(ProxySurface.CHAT, "gzip", Arrays.copyOf(whole, whole.length - 8)));
        assertEquals(400, truncated.status());
        assertEquals("failed to read request body: unexpected EOF", truncated.getMessage());
    }

    @Test
    void gzipDecodingPastTheCapIs413() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            byte[] zeros = new byte[1 << 20];
            for (int i = 0; i < 65; i++) {
                gz.write(zeros);
            }
        }
        ApiException tooLarge = assertThrows(ApiException.class,
                () -> routing.plan(ProxySurface.RESPONSES, "gzip", out.toByteArray()));
        assertEquals(413, tooLarge.status());
        assertEquals("request_too_large", tooLarge.type());
    }

    @Test
    void otherEncodingsAndMessagesAreNotTouched() {
        byte[] body = utf8("{\"model\":\"openai/gpt-5.5\"}");
        Outbound br = routing.plan(ProxySurface.CHAT, "br", body);
        assertEquals("/v1/chat/completions", br.path());
        assertArrayEquals(body, br.body());
        assertFalse(br.decoded());
        Outbound messages = routing.plan(ProxySurface.MESSAGES, null, utf8("{\"model\":\"anthropic/claude\"}"));
        assertEquals("/v1/messages", messages.path());
        assertEquals("anthropic/claude", messages.model().orElseThrow());
    }

    @Test
    void escapedModelValuesAreReencoded() {
        Outbound out = routing.plan(ProxySurface.CHAT, null, utf8("{\"model\":\"openai\\/g\\u00e9\"}"));
        assertEquals("/vendors/openai/v1/chat/completions", out.path());
        assertEquals("{\"model\":\"g\u00e9\"}", new String(out.body(), StandardCharsets.UTF_8));
    }
}
