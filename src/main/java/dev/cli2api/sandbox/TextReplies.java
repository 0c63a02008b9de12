package dev.cli2api.sandbox;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** Answers the text routes (chat completions, Responses API, Anthropic Messages) as JSON or as SSE streams. */
final class TextReplies {

    /** The reply, split into the deltas a stream sends. */
    static final List<String> PIECES = List.of("Hello", " from", " the", " cli2api", " sandbox", "!", " This",
            " reply", " was", " simulated", " without", " calling", " MuleRun", ".");
    static final String TEXT = String.join("", PIECES);

    private final Vertx vertx;
    private final Duration streamDelay;

    TextReplies(Vertx vertx, Duration streamDelay) {
        this.vertx = vertx;
        this.streamDelay = streamDelay;
    }

    /** {@code POST /v1/chat/completions} and {@code /vendors/openai/v1/chat/completions}. */
    void chat(RoutingContext ctx) {
        reply(ctx, UpstreamErrorShape.OPENAI, "chatcmpl-", TextReplies::chatCompletion, TextReplies::chatFrames);
    }

    /** {@code POST /vendors/openai/v1/responses}. */
    void responses(RoutingContext ctx) {
        reply(ctx, UpstreamErrorShape.OPENAI, "resp_", turn -> response(turn, "completed"), TextReplies::responseFrames);
    }

    /** {@code POST /v1/messages}. */
    void messages(RoutingContext ctx) {
        reply(ctx, UpstreamErrorShape.ANTHROPIC, "msg_", TextReplies::message, TextReplies::messageFrames);
    }

    private void reply(RoutingContext ctx, UpstreamErrorShape style, String idPrefix, Function<Turn, JsonObject> json,
            Function<Turn, List<String>> frames) {
        JsonObject request = Replies.objectBody(ctx);
        if (request == null) {
            style.reject(ctx, 400, "invalid_request_error", "the request body must be a JSON object");
            return;
        }
        Turn turn = Turn.of(request, ctx.body().buffer(), idPrefix);
        if (turn.stream()) {
            SseStream.send(vertx, ctx.response(), frames.apply(turn), streamDelay);
        } else {
            Replies.json(ctx, 200, json.apply(turn));
        }
    }

    /** What one simulated exchange is about: ids, model, token counts and the caller's options. */
    private record Turn(String id, String model, long created, int inputTokens, int outputTokens, boolean stream,
            boolean includeUsage) {

        static Turn of(JsonObject request, Buffer raw, String idPrefix) {
            Object model = request.getValue("model");
            Object options = request.getValue("stream_options");
            boolean includeUsage = options instanceof JsonObject o && Boolean.TRUE.equals(o.getValue("include_usage"));
            // a rough "4 bytes per token" estimate keeps the numbers plausible and deterministic
            return new Turn(Replies.newId(idPrefix), model instanceof String s ? s : "", Instant.now().getEpochSecond(),
                    Math.max(1, raw.length() / 4), PIECES.size(), Boolean.TRUE.equals(request.getValue("stream")),
                    includeUsage);
        }

        int totalTokens() {
            return inputTokens + outputTokens;
        }
    }

    // ---- OpenAI chat completions

    private static JsonObject chatCompletion(Turn turn) {
        JsonObject choice = new JsonObject()
                .put("index", 0)
                .put("message", new JsonObject().put("role", "assistant").put("content", TEXT).putNull("refusal"))
                .putNull("logprobs")
                .put("finish_reason", "stop");
        return chatEnvelope(turn, "chat.completion", new JsonArray().add(choice)).put("usage", chatUsage(turn));
    }

    private static List<String> chatFrames(Turn turn) {
        List<String> frames = new ArrayList<>();
        frames.add(chatChunk(turn, new JsonObject().put("role", "assistant").put("content", ""), null));
        PIECES.forEach(piece -> frames.add(chatChunk(turn, new JsonObject().put("content", piece), null)));
        frames.add(chatChunk(turn, new JsonObject(), "stop"));
        if (turn.includeUsage()) {
            JsonObject usage = chatEnvelope(turn, "chat.completion.chunk", new JsonArray());
            frames.add(SseStream.data(usage.put("usage", chatUsage(turn)).encode()));
        }
        frames.add(SseStream.data("[DONE]"));
        return frames;
    }

    private static String chatChunk(Turn turn, JsonObject delta, String finishReason) {
        JsonObject choice = new JsonObject()
                .put("index", 0)
                .put("delta", delta)
                .putNull("logprobs")
                .put("finish_reason", finishReason);
        JsonObject chunk = chatEnvelope(turn, "chat.completion.chunk", new JsonArray().add(choice));
        if (turn.includeUsage()) {
            // OpenAI marks every content chunk with "usage": null when usage was requested
            chunk.putNull("usage");
        }
        return SseStream.data(chunk.encode());
    }

    private static JsonObject chatEnvelope(Turn turn, String object, JsonArray choices) {
        return new JsonObject()
                .put("id", turn.id())
                .put("object", object)
                .put("created", turn.created())
                .put("model", turn.model())
                .put("system_fingerprint", "fp_sandbox")
                .put("choices", choices);
    }

    private static JsonObject chatUsage(Turn turn) {
        return new JsonObject()
                .put("prompt_tokens", turn.inputTokens())
                .put("completion_tokens", turn.outputTokens())
                .put("total_tokens", turn.totalTokens());
    }

    // ---- OpenAI Responses API

    private static JsonObject response(Turn turn, String status) {
        boolean done = "completed".equals(status);
        return new JsonObject()
                .put("id", turn.id())
                .put("object", "response")
                .put("created_at", turn.created())
                .put("status", status)
                .putNull("error")
                .put("model", turn.model())
                .put("output", done ? new JsonArray().add(outputMessage(turn, "completed", TEXT)) : new JsonArray())
                .put("usage", done ? responseUsage(turn) : null);
    }

    private static JsonObject outputMessage(Turn turn, String status, String text) {
        JsonArray content = text == null ? new JsonArray() : new JsonArray().add(outputText(text));
        return new JsonObject()
                .put("id", outputItemId(turn))
                .put("type", "message")
                .put("status", status)
                .put("role", "assistant")
                .put("content", content);
    }

    private static JsonObject outputText(String text) {
        return new JsonObject().put("type", "output_text").put("text", text).put("annotations", new JsonArray());
    }

    private static String outputItemId(Turn turn) {
        return "msg_" + turn.id().substring("resp_".length());
    }

    private static JsonObject responseUsage(Turn turn) {
        return new JsonObject()
                .put("input_tokens", turn.inputTokens())
                .put("input_tokens_details", new JsonObject().put("cached_tokens", 0))
                .put("output_tokens", turn.outputTokens())
                .put("output_tokens_details", new JsonObject().put("reasoning_tokens", 0))
                .put("total_tokens", turn.totalTokens());
    }

    private static List<String> responseFrames(Turn turn) {
        // the full event sequence: the SDKs' stream helpers need the item and part events to place the deltas
        List<JsonObject> events = new ArrayList<>();
        events.add(responseEvent("response.created").put("response", response(turn, "in_progress")));
        events.add(responseEvent("response.in_progress").put("response", response(turn, "in_progress")));
        events.add(responseEvent("response.output_item.added").put("output_index", 0)
                .put("item", outputMessage(turn, "in_progress", null)));
        events.add(partEvent(turn, "response.content_part.added").put("part", outputText("")));
        PIECES.forEach(piece -> events.add(partEvent(turn, "response.output_text.delta").put("delta", piece)));
        events.add(partEvent(turn, "response.output_text.done").put("text", TEXT));
        events.add(partEvent(turn, "response.content_part.done").put("part", outputText(TEXT)));
        events.add(responseEvent("response.output_item.done").put("output_index", 0)
                .put("item", outputMessage(turn, "completed", TEXT)));
        events.add(responseEvent("response.completed").put("response", response(turn, "completed")));
        List<String> frames = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            JsonObject event = events.get(i).put("sequence_number", i);
            frames.add(SseStream.event(event.getString("type"), event));
        }
        return frames;
    }

    private static JsonObject responseEvent(String type) {
        return new JsonObject().put("type", type);
    }

    private static JsonObject partEvent(Turn turn, String type) {
        return responseEvent(type)
                .put("item_id", outputItemId(turn))
                .put("output_index", 0)
                .put("content_index", 0);
    }

    // ---- Anthropic Messages

    private static JsonObject message(Turn turn) {
        return messageEnvelope(turn, new JsonArray().add(textBlock(TEXT)), "end_turn", turn.outputTokens());
    }

    private static JsonObject messageEnvelope(Turn turn, JsonArray content, String stopReason, int outputTokens) {
        return new JsonObject()
                .put("id", turn.id())
                .put("type", "message")
                .put("role", "assistant")
                .put("model", turn.model())
                .put("content", content)
                .put("stop_reason", stopReason)
                .putNull("stop_sequence")
                .put("usage", new JsonObject()
                        .put("input_tokens", turn.inputTokens())
                        .put("output_tokens", outputTokens));
    }

    private static JsonObject textBlock(String text) {
        return new JsonObject().put("type", "text").put("text", text);
    }

    private static List<String> messageFrames(Turn turn) {
        List<String> frames = new ArrayList<>();
        frames.add(anthropicEvent("message_start", new JsonObject()
                .put("message", messageEnvelope(turn, new JsonArray(), null, 1))));
        frames.add(anthropicEvent("content_block_start", new JsonObject().put("index", 0)
                .put("content_block", textBlock(""))));
        frames.add(anthropicEvent("ping", new JsonObject()));
        PIECES.forEach(piece -> frames.add(anthropicEvent("content_block_delta", new JsonObject().put("index", 0)
                .put("delta", new JsonObject().put("type", "text_delta").put("text", piece)))));
        frames.add(anthropicEvent("content_block_stop", new JsonObject().put("index", 0)));
        frames.add(anthropicEvent("message_delta", new JsonObject()
                .put("delta", new JsonObject().put("stop_reason", "end_turn").putNull("stop_sequence"))
                .put("usage", new JsonObject().put("output_tokens", turn.outputTokens()))));
        frames.add(anthropicEvent("message_stop", new JsonObject()));
        return frames;
    }

    private static String anthropicEvent(String type, JsonObject fields) {
        // Anthropic repeats the event name as the first "type" field of the data object
        return SseStream.event(type, new JsonObject().put("type", type).mergeIn(fields));
    }
}
