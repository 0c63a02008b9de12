package dev.cli2api.proxy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.cli2api.api.ApiException;
import io.vertx.core.buffer.Buffer;

/**
 * Watches an upstream answer as it is relayed, for usage accounting, without holding any byte back (spec §6.2 and
 * DESIGN decision 5):
 * <ul>
 * <li>a JSON answer (up to 256 KiB) gives its top-level {@code model}, which replaces the requested one, and its
 * {@code usage} token counts;</li>
 * <li>an SSE answer gives the token counts of its usage events as they pass (OpenAI's {@code include_usage} final
 * chunk, Anthropic's {@code message_start}/{@code message_delta}, Responses' {@code response.completed}); the
 * requested model stands;</li>
 * <li>anything else is not looked at.</li>
 * </ul>
 * Prompt tokens are {@code prompt_tokens} when positive, else {@code input_tokens}; completion tokens likewise with
 * {@code completion_tokens}/{@code output_tokens}. Not thread-safe: one tap per answer, fed in order.
 */
final class UsageTap {

    static final int JSON_LIMIT = 256 * 1024;
    /** An SSE line longer than this is skipped rather than buffered. */
    static final int SSE_LINE_LIMIT = 1024 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();

    private enum Kind { JSON, SSE, OTHER }

    /** A gzip JSON answer is inflated up to this many bytes to be read. */
    static final int INFLATED_LIMIT = 1024 * 1024;

    private final Kind kind;
    private final boolean gzip;
    private Buffer pending = Buffer.buffer();
    private boolean overflow;
    private String model = "";
    private long promptTokens;
    private long completionTokens;

    private UsageTap(Kind kind, boolean gzip) {
        this.kind = kind;
        this.gzip = gzip;
    }

    /** A tap for an uncompressed answer of {@code contentType} (null when absent). */
    static UsageTap forContentType(String contentType) {
        return forAnswer(contentType, null);
    }

    /**
     * A tap for an answer of {@code contentType} sent with {@code contentEncoding} (either may be null): a gzip JSON
     * answer is read after inflating it; any other encoding is not looked at.
     */
    static UsageTap forAnswer(String contentType, String contentEncoding) {
        String type = contentType == null ? "" : contentType.trim().toLowerCase(Locale.ROOT);
        String encoding = contentEncoding == null ? "" : contentEncoding.trim().toLowerCase(Locale.ROOT);
        boolean gzip = encoding.equals("gzip");
        if (!encoding.isEmpty() && !encoding.equals("identity") && !gzip) {
            return new UsageTap(Kind.OTHER, false);
        }
        Kind kind = type.startsWith("application/json") ? Kind.JSON
                : type.startsWith("text/event-stream") && !gzip ? Kind.SSE : Kind.OTHER;
        return new UsageTap(kind, gzip);
    }

    /** Sees the next chunk of the answer. */
    void accept(Buffer chunk) {
        switch (kind) {
            case JSON -> {
                if (!overflow) {
                    if (pending.length() + chunk.length() > JSON_LIMIT) {
                        overflow = true;
                        pending = Buffer.buffer();
                    } else {
                        pending.appendBuffer(chunk);
                    }
                }
            }
            case SSE -> lines(chunk);
            case OTHER -> {
            }
        }
    }

    /** Called once the answer ended completely. */
    void finish() {
        if (kind == Kind.JSON && !overflow && pending.length() > 0) {
            JsonNode body = parse(gzip ? inflate(pending.getBytes()) : pending.toString(StandardCharsets.UTF_8));
            if (body != null && body.isObject()) {
                JsonNode m = body.get("model");
                if (m != null && m.isTextual() && !m.asText().trim().isEmpty()) {
                    model = m.asText().trim();
                }
                tokens(body.get("usage"));
            }
        }
        pending = Buffer.buffer();
    }

    /** The model the answer named (JSON answers only), empty when none. */
    String model() {
        return model;
    }

    long promptTokens() {
        return promptTokens;
    }

    long completionTokens() {
        return completionTokens;
    }

    private void lines(Buffer chunk) {
        int start = 0;
        for (int i = 0; i < chunk.length(); i++) {
            if (chunk.getByte(i) == '\n') {
                append(chunk, start, i);
                line(pending.toString(StandardCharsets.UTF_8));
                pending = Buffer.buffer();
                overflow = false;
                start = i + 1;
            }
        }
        append(chunk, start, chunk.length());
    }

    private void append(Buffer chunk, int from, int to) {
        if (overflow || from >= to) {
            return;
        }
        if (pending.length() + (to - from) > SSE_LINE_LIMIT) {
            overflow = true;
            pending = Buffer.buffer();
            return;
        }
        pending.appendBuffer(chunk, from, to - from);
    }

    private void line(String line) {
        if (overflow || !line.startsWith("data:") || !line.contains("\"usage\"")) {
            return;
        }
        JsonNode event = parse(line.substring("data:".length()).trim());
        if (event == null || !event.isObject()) {
            return;
        }
        tokens(event.get("usage"));
        tokens(event.path("message").get("usage"));
        tokens(event.path("response").get("usage"));
    }

    private void tokens(JsonNode usage) {
        if (usage == null || !usage.isObject()) {
            return;
        }
        long prompt = positive(usage, "prompt_tokens", "input_tokens");
        long completion = positive(usage, "completion_tokens", "output_tokens");
        if (prompt > 0) {
            promptTokens = prompt;
        }
        if (completion > 0) {
            completionTokens = completion;
        }
    }

    private static long positive(JsonNode usage, String preferred, String fallback) {
        long first = usage.path(preferred).asLong(0);
        return first > 0 ? first : Math.max(0, usage.path(fallback).asLong(0));
    }

    /** The inflated text, or empty when it is not gzip or inflates past {@link #INFLATED_LIMIT}. */
    private static String inflate(byte[] compressed) {
        try {
            return new String(GzipBody.decode(compressed, INFLATED_LIMIT), StandardCharsets.UTF_8);
        } catch (ApiException unreadableOrTooLarge) {
            return "";
        }
    }

    private static JsonNode parse(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            return null;
        }
    }
}
