package dev.cli2api.sandbox;

import java.time.Duration;
import java.util.Iterator;
import java.util.List;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;

/** Writes a list of server-sent-event frames one by one with a pause in between, so streaming is observable. */
final class SseStream {

    private final Vertx vertx;
    private final HttpServerResponse response;
    private final Iterator<String> frames;
    private final long delayMillis;

    private SseStream(Vertx vertx, HttpServerResponse response, List<String> frames, Duration delay) {
        this.vertx = vertx;
        this.response = response;
        this.frames = frames.iterator();
        // Vert.x timers need at least 1 ms
        this.delayMillis = Math.max(1, delay.toMillis());
    }

    /** Starts streaming {@code frames} on {@code response} as {@code text/event-stream}; returns at once. */
    static void send(Vertx vertx, HttpServerResponse response, List<String> frames, Duration delay) {
        response.setStatusCode(200)
                .setChunked(true)
                .putHeader("Content-Type", "text/event-stream; charset=utf-8")
                .putHeader("Cache-Control", "no-cache");
        new SseStream(vertx, response, frames, delay).writeNext();
    }

    /** An OpenAI-style frame: {@code data: <json>}. */
    static String data(String payload) {
        return "data: " + payload + "\n\n";
    }

    /** A named frame as the Responses and Anthropic APIs send it: {@code event: <type>} then {@code data: <json>}. */
    static String event(String type, JsonObject payload) {
        return "event: " + type + "\n" + data(payload.encode());
    }

    private void writeNext() {
        if (response.closed() || response.ended()) {
            // the client went away mid-stream: nothing left to do
            return;
        }
        if (!frames.hasNext()) {
            response.end();
            return;
        }
        String frame = frames.next();
        if (!frames.hasNext()) {
            response.end(frame);
            return;
        }
        response.write(frame);
        vertx.setTimer(delayMillis, id -> writeNext());
    }
}
