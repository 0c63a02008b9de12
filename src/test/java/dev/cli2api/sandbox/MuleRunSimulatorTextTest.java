package dev.cli2api.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.vertx.core.json.JsonObject;

class MuleRunSimulatorTextTest extends SimulatorTestBase {

    private static final String CHAT_BODY = """
            {"model":"gpt-5-mini","messages":[{"role":"user","content":"hi"}]}""";
    private static final String CHAT_STREAM_BODY = """
            {"model":"gpt-5-mini","stream":true,"stream_options":{"include_usage":true},\
            "messages":[{"role":"user","content":"hi"}]}""";

    @ParameterizedTest
    @ValueSource(strings = { "/v1/chat/completions", "/vendors/openai/v1/chat/completions" })
    void shouldAnswerChatCompletionWithEchoedModelAndUsage(String path) {
        HttpResponse<String> response = post(path, CHAT_BODY, "Authorization", TOKEN);

        assertEquals(200, response.statusCode());
        assertTrue(response.headers().firstValue("Content-Type").orElseThrow().startsWith("application/json"));
        JsonObject body = json(response);
        assertTrue(body.getString("id").startsWith("chatcmpl-"));
        assertEquals("chat.completion", body.getString("object"));
        assertTrue(body.getLong("created") > 0);
        assertEquals("gpt-5-mini", body.getString("model"));
        JsonObject choice = body.getJsonArray("choices").getJsonObject(0);
        assertEquals("assistant", choice.getJsonObject("message").getString("role"));
        assertEquals(TextReplies.TEXT, choice.getJsonObject("message").getString("content"));
        assertEquals("stop", choice.getString("finish_reason"));
        JsonObject usage = body.getJsonObject("usage");
        assertEquals(TextReplies.PIECES.size(), usage.getInteger("completion_tokens"));
        assertEquals(usage.getInteger("prompt_tokens") + usage.getInteger("completion_tokens"),
                usage.getInteger("total_tokens"));
    }

    @Test
    void shouldStreamChatChunksIncrementallyWithUsageThenDone() {
        StreamedLines stream = postStreaming("/v1/chat/completions", CHAT_STREAM_BODY, "Authorization", TOKEN);

        assertEquals(200, stream.response().statusCode());
        assertTrue(stream.response().headers().firstValue("Content-Type").orElseThrow()
                .startsWith("text/event-stream"));
        List<String> dataLines = stream.lines().stream().filter(line -> line.startsWith("data: ")).toList();
        assertEquals("data: [DONE]", dataLines.get(dataLines.size() - 1));
        List<JsonObject> chunks = stream.dataObjects();
        assertTrue(chunks.stream().allMatch(chunk -> "chat.completion.chunk".equals(chunk.getString("object"))));
        assertTrue(chunks.stream().allMatch(chunk -> "gpt-5-mini".equals(chunk.getString("model"))));
        String content = chunks.stream()
                .flatMap(chunk -> chunk.getJsonArray("choices").stream())
                .map(choice -> ((JsonObject) choice).getJsonObject("delta").getString("content", ""))
                .collect(Collectors.joining());
        assertEquals(TextReplies.TEXT, content);
        JsonObject usageChunk = chunks.get(chunks.size() - 1);
        assertTrue(usageChunk.getJsonArray("choices").isEmpty());
        assertEquals(TextReplies.PIECES.size(), usageChunk.getJsonObject("usage").getInteger("completion_tokens"));
        assertIncremental(stream);
    }

    @Test
    void shouldOmitUsageChunkUnlessRequested() {
        StreamedLines stream = postStreaming("/v1/chat/completions", """
                {"model":"gpt-5","stream":true,"messages":[]}""", "Authorization", TOKEN);

        List<JsonObject> chunks = stream.dataObjects();
        assertTrue(chunks.stream().noneMatch(chunk -> chunk.containsKey("usage")));
        assertEquals("stop", chunks.get(chunks.size() - 1).getJsonArray("choices").getJsonObject(0)
                .getString("finish_reason"));
    }

    @Test
    void shouldAnswerResponsesObject() {
        HttpResponse<String> response = post("/vendors/openai/v1/responses", """
                {"model":"gpt-5.3-codex","input":"hi"}""", "Authorization", TOKEN);

        assertEquals(200, response.statusCode());
        JsonObject body = json(response);
        assertEquals("response", body.getString("object"));
        assertEquals("completed", body.getString("status"));
        assertEquals("gpt-5.3-codex", body.getString("model"));
        JsonObject message = body.getJsonArray("output").getJsonObject(0);
        assertEquals("message", message.getString("type"));
        JsonObject text = message.getJsonArray("content").getJsonObject(0);
        assertEquals("output_text", text.getString("type"));
        assertEquals(TextReplies.TEXT, text.getString("text"));
        assertTrue(body.getJsonObject("usage").getInteger("input_tokens") > 0);
        assertEquals(TextReplies.PIECES.size(), body.getJsonObject("usage").getInteger("output_tokens"));
    }

    @Test
    void shouldStreamResponsesEventsInOrder() {
        StreamedLines stream = postStreaming("/vendors/openai/v1/responses", """
                {"model":"gpt-5.3-codex","input":"hi","stream":true}""", "Authorization", TOKEN);

        List<String> names = stream.eventNames();
        assertEquals("response.created", names.get(0));
        assertEquals("response.completed", names.get(names.size() - 1));
        int firstDelta = names.indexOf("response.output_text.delta");
        int lastDelta = names.lastIndexOf("response.output_text.delta");
        assertTrue(firstDelta > names.indexOf("response.output_item.added"));
        assertEquals(TextReplies.PIECES.size(), lastDelta - firstDelta + 1);
        assertTrue(names.subList(firstDelta, lastDelta + 1).stream()
                .allMatch("response.output_text.delta"::equals));
        List<JsonObject> events = stream.dataObjects();
        assertEquals(names, events.stream().map(event -> event.getString("type")).toList());
        for (int i = 0; i < events.size(); i++) {
            assertEquals(i, events.get(i).getInteger("sequence_number"));
        }
        JsonObject completed = events.get(events.size() - 1).getJsonObject("response");
        assertEquals("completed", completed.getString("status"));
        assertEquals(TextReplies.PIECES.size(), completed.getJsonObject("usage").getInteger("output_tokens"));
        assertIncremental(stream);
    }

    @Test
    void shouldAnswerAnthropicMessage() {
        HttpResponse<String> response = post("/v1/messages", """
                {"model":"claude-haiku-4-5","max_tokens":64,"messages":[{"role":"user","content":"hi"}]}""",
                "X-API-Key", "muk-test", "anthropic-version", "2023-06-01");

        assertEquals(200, response.statusCode());
        JsonObject body = json(response);
        assertEquals("message", body.getString("type"));
        assertEquals("assistant", body.getString("role"));
        assertEquals("claude-haiku-4-5", body.getString("model"));
        assertEquals("end_turn", body.getString("stop_reason"));
        JsonObject block = body.getJsonArray("content").getJsonObject(0);
        assertEquals("text", block.getString("type"));
        assertEquals(TextReplies.TEXT, block.getString("text"));
        assertEquals(TextReplies.PIECES.size(), body.getJsonObject("usage").getInteger("output_tokens"));
        assertTrue(body.getJsonObject("usage").getInteger("input_tokens") > 0);
    }

    @Test
    void shouldStreamAnthropicEventsByName() {
        StreamedLines stream = postStreaming("/v1/messages", """
                {"model":"claude-haiku-4-5","max_tokens":64,"stream":true,"messages":[]}""", "X-API-Key",
                "muk-test");

        List<String> names = stream.eventNames();
        List<String> expectedStart = List.of("message_start", "content_block_start", "ping");
        List<String> expectedEnd = List.of("content_block_stop", "message_delta", "message_stop");
        assertEquals(expectedStart, names.subList(0, 3));
        assertEquals(expectedEnd, names.subList(names.size() - 3, names.size()));
        assertEquals(TextReplies.PIECES.size(), names.size() - 6);
        assertTrue(names.subList(3, names.size() - 3).stream().allMatch("content_block_delta"::equals));
        List<JsonObject> events = stream.dataObjects();
        assertEquals(names, events.stream().map(event -> event.getString("type")).toList());
        JsonObject messageDelta = events.get(events.size() - 2);
        assertEquals(TextReplies.PIECES.size(), messageDelta.getJsonObject("usage").getInteger("output_tokens"));
        assertEquals("claude-haiku-4-5", events.get(0).getJsonObject("message").getString("model"));
        assertIncremental(stream);
    }

    @ParameterizedTest
    @ValueSource(strings = { "/v1/chat/completions", "/vendors/openai/v1/chat/completions",
            "/vendors/openai/v1/responses" })
    void shouldRejectOpenAiRoutesWithoutBearerToken(String path) {
        for (String[] headers : List.of(new String[0], new String[] { "Authorization", "Bearer  " },
                new String[] { "X-API-Key", "muk-test" })) {
            HttpResponse<String> response = post(path, CHAT_BODY, headers);

            assertEquals(401, response.statusCode());
            assertTrue(response.headers().firstValue("Content-Type").orElseThrow().startsWith("application/json"));
            assertEquals("invalid_request_error", json(response).getJsonObject("error").getString("type"));
        }
    }

    @Test
    void shouldRejectMessagesWithoutApiKey() {
        HttpResponse<String> response = post("/v1/messages", CHAT_BODY, "Authorization", TOKEN);

        assertEquals(401, response.statusCode());
        JsonObject body = json(response);
        assertEquals("error", body.getString("type"));
        assertEquals("authentication_error", body.getJsonObject("error").getString("type"));
    }

    @Test
    void shouldRejectBodyThatIsNotJsonObject() {
        HttpResponse<String> chat = post("/v1/chat/completions", "not json", "Authorization", TOKEN);
        HttpResponse<String> messages = post("/v1/messages", "[1,2]", "X-API-Key", "muk-test");

        assertEquals(400, chat.statusCode());
        assertEquals("invalid_request_error", json(chat).getJsonObject("error").getString("type"));
        assertEquals(400, messages.statusCode());
        assertEquals("invalid_request_error", json(messages).getJsonObject("error").getString("type"));
    }

    @Test
    void shouldEchoEmptyModelWhenModelIsMissing() {
        JsonObject body = json(post("/v1/chat/completions", "{}", "Authorization", TOKEN));

        assertEquals("", body.getString("model"));
        assertFalse(body.getJsonArray("choices").isEmpty());
        assertNull(body.getJsonArray("choices").getJsonObject(0).getJsonObject("message").getString("refusal"));
    }

    /** The first event must reach the client well before the last one: the stream is not buffered. */
    private static void assertIncremental(StreamedLines stream) {
        long frames = stream.lines().stream().filter(line -> line.startsWith("data: ")).count();
        long expectedSpread = STREAM_DELAY.toMillis() * (frames - 1) / 2;
        assertTrue(stream.spreadMillis() >= expectedSpread,
                "first and last event arrived " + stream.spreadMillis() + " ms apart, expected >= " + expectedSpread);
    }
}
