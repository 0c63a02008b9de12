package dev.cli2api.sandbox;

import java.util.UUID;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** Small helpers shared by the simulator's handlers for reading JSON bodies and writing JSON answers. */
final class Replies {

    static final String JSON = "application/json";

    private Replies() {
    }

    /** Ends the exchange with {@code status} and {@code body} as {@code application/json}. */
    static void json(RoutingContext ctx, int status, JsonObject body) {
        ctx.response()
                .setStatusCode(status)
                .putHeader("Content-Type", JSON)
                .end(body.toBuffer());
    }

    /** The request body as a JSON object, or {@code null} when it is missing, malformed or not an object. */
    static JsonObject objectBody(RoutingContext ctx) {
        Buffer body = ctx.body().buffer();
        if (body == null || body.length() == 0) {
            return null;
        }
        try {
            return Json.decodeValue(body) instanceof JsonObject object ? object : null;
        } catch (DecodeException e) {
            return null;
        }
    }

    /** A fresh random id with {@code prefix}, e.g. {@code chatcmpl-3f2a…}. */
    static String newId(String prefix) {
        return prefix + UUID.randomUUID().toString().replace("-", "");
    }
}
