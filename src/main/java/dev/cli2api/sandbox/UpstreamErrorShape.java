package dev.cli2api.sandbox;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** The error body shapes the simulated services answer with, one per API family. */
enum UpstreamErrorShape {

    /** OpenAI: {@code {"error":{"message","type","param","code"}}}. */
    OPENAI {
        @Override
        JsonObject body(String type, String message) {
            return new JsonObject().put("error", new JsonObject()
                    .put("message", message)
                    .put("type", type)
                    .putNull("param")
                    .putNull("code"));
        }
    },

    /** Anthropic: {@code {"type":"error","error":{"type","message"}}}. */
    ANTHROPIC {
        @Override
        JsonObject body(String type, String message) {
            return new JsonObject().put("type", "error")
                    .put("error", new JsonObject().put("type", type).put("message", message));
        }
    },

    /** MuleRun vendor job API: {@code {"detail":"…"}}. */
    VENDOR {
        @Override
        JsonObject body(String type, String message) {
            return new JsonObject().put("detail", message);
        }
    };

    abstract JsonObject body(String type, String message);

    /** Ends the exchange with {@code status} and this family's error body. */
    void reject(RoutingContext ctx, int status, String type, String message) {
        Replies.json(ctx, status, body(type, message));
    }
}
