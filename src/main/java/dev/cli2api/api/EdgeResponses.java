package dev.cli2api.api;

import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.RoutingContext;

/** Writes error envelopes from Vert.x handlers (the edge itself and the streaming proxy routes). */
public final class EdgeResponses {

    private EdgeResponses() {
    }

    /** HTTP/2's INTERNAL_ERROR: a reset without an error code (NO_ERROR) let clients take a cut answer as whole. */
    static final long INTERNAL_ERROR = 2;

    /**
     * Ends an answer already under way abruptly, because what it relays broke off, so that it never looks complete:
     * an HTTP/2 stream is reset with INTERNAL_ERROR, an HTTP/1.x connection closed. The closed HTTP/1.x answer is
     * then ended as well, which writes nothing to the closed connection but tells Quarkus the request is over: closing
     * the connection alone left it counted as in flight, and every later shutdown of the replica waited its whole
     * 15 s for it.
     */
    public static void abort(RoutingContext rc) {
        ApiEdge.endedAbruptly(rc);
        HttpServerResponse response = rc.response();
        if (rc.request().version() == HttpVersion.HTTP_2) {
            response.reset(INTERNAL_ERROR);
            return;
        }
        rc.request().connection().close();
        if (!response.ended()) {
            try {
                response.end();
            } catch (IllegalStateException alreadyClosed) {
                // the connection's close was seen first: nothing is left to end
            }
        }
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
