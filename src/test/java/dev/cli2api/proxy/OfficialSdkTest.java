package dev.cli2api.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URL;
import java.util.stream.Collectors;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** The official OpenAI and Anthropic Java SDKs, unmodified, talking to the proxy (streaming and not). */
@QuarkusTest
@TestProfile(ProxyProfile.class)
class OfficialSdkTest {

    private static final String COMPLETION = """
            {"id":"c1","object":"chat.completion","created":1,"model":"gpt-5.5",
             "choices":[{"index":0,"message":{"role":"assistant","content":"Hello"},"finish_reason":"stop","logprobs":null}]}""";
    private static final String CHUNK = """
            data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"gpt-5.5",\
            "choices":[{"index":0,"delta":{"content":"%s"},"finish_reason":null}]}

            """;
    private static final String MESSAGE = """
            {"id":"msg_1","type":"message","role":"assistant","model":"claude-x","content":[{"type":"text","text":"Hello","citations":null}],
             "stop_reason":"end_turn","stop_sequence":null,"usage":{"input_tokens":1,"output_tokens":1}}""";
    private static final String MESSAGE_EVENTS = """
            event: message_start
            data: {"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant","model":"claude-x","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":1,"output_tokens":0}}}

            event: content_block_start
            data: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":"","citations":null}}

            event: ping
            data: {"type":"ping"}

            event: content_block_delta
            data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hel"}}

            event: content_block_delta
            data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"lo"}}

            event: content_block_stop
            data: {"type":"content_block_stop","index":0}

            event: message_delta
            data: {"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"output_tokens":2}}

            event: message_stop
            data: {"type":"message_stop"}

            """;

    private final FakeUpstream upstream = FakeUpstream.get();

    @TestHTTPResource("/")
    URL base;

    @BeforeEach
    void reset() {
        upstream.reset();
    }

    private void answerJson(String json) {
        upstream.answer((request, body) -> request.response().putHeader("Content-Type", "application/json").end(json));
    }

    private void answerEvents(String... events) {
        upstream.answer((request, body) -> {
            var response = request.response().setChunked(true).putHeader("Content-Type", "text/event-stream");
            for (String event : events) {
                response.write(event);
            }
            response.end();
        });
    }

    private OpenAIClient openAi() {
        return OpenAIOkHttpClient.builder().baseUrl(base + "v1").apiKey(ProxyProfile.KEY).maxRetries(0).build();
    }

    private AnthropicClient anthropic() {
        String host = base.toString().replaceAll("/$", "");
        return AnthropicOkHttpClient.builder().baseUrl(host).apiKey(ProxyProfile.KEY).maxRetries(0).build();
    }

    private static ChatCompletionCreateParams chat() {
        return ChatCompletionCreateParams.builder().model("openai/gpt-5.5").addUserMessage("hi").build();
    }

    private static MessageCreateParams message() {
        return MessageCreateParams.builder().model("claude-sonnet-4-5").maxTokens(16).addUserMessage("hi").build();
    }

    @Test
    void openAiSdkReadsACompletionThroughTheProxy() {
        answerJson(COMPLETION);
        ChatCompletion completion = openAi().chat().completions().create(chat());
        assertEquals("Hello", completion.choices().get(0).message().content().orElseThrow());
        assertEquals("/vendors/openai/v1/chat/completions", upstream.single().uri());
    }

    @Test
    void openAiSdkStreamsAChatThroughTheProxy() {
        answerEvents(CHUNK.formatted("Hel"), CHUNK.formatted("lo"), "data: [DONE]\n\n");
        try (var stream = openAi().chat().completions().createStreaming(chat())) {
            String text = stream.stream().flatMap(chunk -> chunk.choices().stream())
                    .map(ChatCompletionChunk.Choice::delta)
                    .flatMap(delta -> delta.content().stream())
                    .collect(Collectors.joining());
            assertEquals("Hello", text);
        }
    }

    @Test
    void anthropicSdkReadsAMessageThroughTheProxy() {
        answerJson(MESSAGE);
        var message = anthropic().messages().create(message());
        assertEquals("Hello", message.content().get(0).text().orElseThrow().text());
        assertEquals(FakeUpstreamResource.TOKEN, upstream.single().header("X-API-Key"));
    }

    @Test
    void anthropicSdkStreamsAMessageThroughTheProxy() {
        answerEvents(MESSAGE_EVENTS);
        try (StreamResponse<RawMessageStreamEvent> stream = anthropic().messages().createStreaming(message())) {
            String text = stream.stream().flatMap(event -> event.contentBlockDelta().stream())
                    .flatMap(delta -> delta.delta().text().stream())
                    .map(textDelta -> textDelta.text())
                    .collect(Collectors.joining());
            assertEquals("Hello", text);
        }
    }
}
