package dev.cli2api.proxy;


import dev.cli2api.api.ApiEdge;
import dev.cli2api.api.ApiException;
import dev.cli2api.api.ApiRoute;
import dev.cli2api.api.BodyLimit;
import dev.cli2api.api.EdgeResponses;
import dev.cli2api.upstream.MuleRunUpstream;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

/** The text pass-through routes {@code /v1/chat/completions}, {@code /v1/responses} and {@code /v1/messages}. */
@Singleton
public class ProxyRoutes {

    /** Bodies up to this size are planned on the event loop; larger or gzip ones on a worker. */
    private static final int INLINE_BYTES = 64 * 1024;

    private final Vertx vertx;
    private final BodyRouting routing;
    private final UpstreamRelay relay;
    private final MuleRunUpstream upstream;

    public ProxyRoutes(Vertx vertx, BodyRouting routing, UpstreamRelay relay, MuleRunUpstream upstream) {
        this.vertx = vertx;
        this.routing = routing;
        this.relay = relay;
        this.upstream = upstream;
    }

    void register(@Observes Router router) {
        for (ProxySurface surface : ProxySurface.values()) {
            router.post(surface.inboundPath()).handler(rc -> handle(rc, surface));
        }
    }

    private void handle(RoutingContext rc, ProxySurface surface) {
        ApiRoute route = rc.get(ApiRoute.CONTEXT_KEY);
        BodyLimit limit = route == null ? BodyLimit.TOO_LARGE_413 : route.bodyLimit();
        HttpServerRequest request = rc.request();
        String encoding = request.getHeader("Content-Encoding");
        BodyCollector.collect(request, BodyLimit.MAX_BYTES, limit.error(request.getHeader("Content-Type")))
                .compose(body -> plan(surface, encoding, body))
                .onSuccess(outbound -> forward(rc, surface, outbound))
                .onFailure(failure -> reject(rc, failure));
    }

    private Future<Outbound> plan(ProxySurface surface, String encoding, Buffer body) {
        byte[] bytes = body.getBytes();
        boolean heavy = bytes.length > INLINE_BYTES || (encoding != null && !encoding.isBlank());
        if (!heavy) {
            try {
                return Future.succeededFuture(routing.plan(surface, encoding, bytes));
            } catch (ApiException e) {
                return Future.failedFuture(e);
            }
        }
        return vertx.executeBlocking(() -> routing.plan(surface, encoding, bytes), false);
    }

    private void forward(RoutingContext rc, ProxySurface surface, Outbound outbound) {
        outbound.model().ifPresent(model -> ApiEdge.recordModel(rc, model));
        String token;
        try {
            token = upstream.token();
        } catch (IllegalStateException noCredential) {
            UpstreamRelay.badGateway(rc, noCredential);
            return;
        }
        MultiMap headers = ProxyHeaders.upstreamRequest(rc.request().headers(), outbound.decoded());
        headers.set(surface.authHeader(), surface.authValue(token));
        if (outbound.body().length > 0 && !headers.contains("Content-Type")) {
            headers.set("Content-Type", "application/json");
        }
        Context context = rc.vertx().getOrCreateContext();
        relay.relay(rc, upstream.baseUrl() + outbound.path(), headers, outbound.body(),
                retryHeaders -> renew(surface, token, retryHeaders, context));
    }

    /** After a 401: a refreshed OAuth credential (never in sandbox mode) replaces the rejected one in {@code headers}. */
    private Future<Boolean> renew(ProxySurface surface, String rejected, MultiMap headers, Context context) {
        return Future.fromCompletionStage(upstream.renewAfterUnauthorized(rejected).subscribeAsCompletionStage(),
                context).map(fresh -> {
                    fresh.ifPresent(token -> headers.set(surface.authHeader(), surface.authValue(token)));
                    return fresh.isPresent();
                });
    }

    private static void reject(RoutingContext rc, Throwable failure) {
        ApiException error = failure instanceof ApiException api ? api
                : new ApiException(400, "invalid_request", "failed to read request body: " + failure.getMessage());
        if (error.status() == 413) {
            // the client may still be sending a body nobody will read
            rc.response().putHeader("Connection", "close");
        }
        EdgeResponses.error(rc, EdgeResponses.styleOf(rc), error);
    }
}
