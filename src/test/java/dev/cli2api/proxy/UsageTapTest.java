package dev.cli2api.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import io.vertx.core.buffer.Buffer;

class UsageTapTest {

    private static UsageTap feed(String contentType, String... chunks) {
        UsageTap tap = UsageTap.forContentType(contentType);
        for (String chunk : chunks) {
            tap.accept(Buffer.buffer(chunk.getBytes(StandardCharsets.UTF_8)));
        }
        tap.finish();
        return tap;
    }

    @Test
    void jsonChatAnswerGivesItsModelAndTokens() {
        UsageTap tap = feed("application/json; charset=utf-8", "{\"id\":\"c1\",\"model\":\"gpt-5.5\",",
                "\"usage\":{\"prompt_tokens\":42,\"completion_tokens\":17}}");

        assertEquals("gpt-5.5", tap.model());
        assertEquals(42, tap.promptTokens());
        assertEquals(17, tap.completionTokens());
    }

    @Test
    void responsesAndMessagesShapesMapInputAndOutputTokens() {
        UsageTap tap = feed("application/json", "{\"usage\":{\"input_tokens\":33,\"output_tokens\":7}}");

        assertEquals("", tap.model());
        assertEquals(33, tap.promptTokens());
        assertEquals(7, tap.completionTokens());
    }

    @Test
    void jsonAnswerOverTheLimitIsNotLookedAt() {
        String big = "{\"model\":\"m\",\"pad\":\"" + "x".repeat(UsageTap.JSON_LIMIT) + "\",\"usage\":{\"prompt_tokens\":1}}";

        UsageTap tap = feed("application/json", big);

        assertEquals("", tap.model());
        assertEquals(0, tap.promptTokens());
    }

    @Test
    void openAiStreamUsageChunkCountsEvenWhenSplitAcrossReads() {
        UsageTap tap = feed("text/event-stream",
                "data: {\"choices\":[{\"delta\":{\"content\":\"hi\"}}],\"model\":\"gpt-5.5\"}\n\n",
                "data: {\"choices\":[],\"usage\":{\"prompt_to", "kens\":12,\"completion_tokens\":5}}\r\n\r\n",
                "data: [DONE]\n\n");

        assertEquals("", tap.model(), "a stream never overrides the requested model");
        assertEquals(12, tap.promptTokens());
        assertEquals(5, tap.completionTokens());
    }

    @Test
    void anthropicStreamTakesInputFromMessageStartAndTheLastOutputCount() {
        UsageTap tap = feed("text/event-stream; charset=utf-8",
                "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"usage\":{\"input_tokens\":25,"
                        + "\"output_tokens\":1}}}\n\n",
                "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"delta\":{\"text\":\"x\"}}\n\n",
                "event: message_delta\ndata: {\"type\":\"message_delta\",\"usage\":{\"output_tokens\":15}}\n\n");

        assertEquals(25, tap.promptTokens());
        assertEquals(15, tap.completionTokens());
    }

    @Test
    void responsesStreamTakesTheCompletedEventsUsage() {
        UsageTap tap = feed("text/event-stream",
                "event: response.created\ndata: {\"type\":\"response.created\",\"response\":{\"usage\":null}}\n\n",
                "event: response.completed\ndata: {\"type\":\"response.completed\",\"response\":{\"usage\":"
                        + "{\"input_tokens\":9,\"output_tokens\":3}}}\n\n");

        assertEquals(9, tap.promptTokens());
        assertEquals(3, tap.completionTokens());
    }

    @Test
    void gzipJsonAnswerIsReadInflatedAndOtherEncodingsAreLeftAlone() throws Exception {
        byte[] json = "{\"model\":\"gpt-5.5\",\"usage\":{\"prompt_tokens\":4,\"completion_tokens\":2}}"
                .getBytes(StandardCharsets.UTF_8);
        var bytes = new java.io.ByteArrayOutputStream();
        try (var gz = new java.util.zip.GZIPOutputStream(bytes)) {
            gz.write(json);
        }
        byte[] compressed = bytes.toByteArray();

        UsageTap gzip = UsageTap.forAnswer("application/json", "gzip");
        gzip.accept(Buffer.buffer(java.util.Arrays.copyOfRange(compressed, 0, 10)));
        gzip.accept(Buffer.buffer(java.util.Arrays.copyOfRange(compressed, 10, compressed.length)));
        gzip.finish();
        UsageTap brotli = UsageTap.forAnswer("application/json", "br");
        brotli.accept(Buffer.buffer(json));
        brotli.finish();

        assertEquals("gpt-5.5", gzip.model());
        assertEquals(4, gzip.promptTokens());
        assertEquals(2, gzip.completionTokens());
        assertEquals(0, brotli.promptTokens());
    }

    @Test
    void streamWithoutUsageAndOtherAnswersCountNothing() {
        assertEquals(0, feed("text/event-stream", "data: {\"x\":1}\n\n").promptTokens());
        assertEquals(0, feed("audio/mpeg", "{\"usage\":{\"prompt_tokens\":3}}").promptTokens());
        assertEquals(0, feed(null, "{\"usage\":{\"prompt_tokens\":3}}").promptTokens());
        assertEquals(0, feed("application/json", "not json").promptTokens());
    }
}
