package dev.cli2api.api;

import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;

/** Writes error envelopes from Vert.x handlers (the edge itself and the streaming proxy routes). */
public final class EdgeResponses {

    private EdgeResponses() {
    }

    /** Ends the exchange with {@code error} rendered in {@code style}. */
    public static void error(RoutingContext rc, ErrorStyle style, ApiException error) {
        HttpServerResponse response = rc.response();
        if (response.ended() || response.headWritten()) {
            return;
        }
        response.setStatusCode(error.status())
                .putHeader("Content-Type", ErrorStyle.CONTENT_TYPE)
                .end(style.render(error.type(), error.getMessage()));
    }

    /** The style of the route matched for this request (OpenAI when none was matched). */
    public static ErrorStyle styleOf(RoutingContext rc) {
        ApiRoute route = rc == null ? null : rc.get(ApiRoute.CONTEXT_KEY);
        return route == null ? ErrorStyle.OPENAI : route.style();
    }
}
