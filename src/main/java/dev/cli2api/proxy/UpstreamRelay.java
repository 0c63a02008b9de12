package dev.cli2api.proxy;

import java.util.Collections;
import java.util.Set;
import java.util.WeakHashMap;

import org.jboss.logging.Logger;

import dev.cli2api.api.ApiEdge;
import dev.cli2api.api.EdgeResponses;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.streams.ReadStream;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Singleton;

/**
 * Sends a prepared request upstream over pooled connections and relays the answer to the client
 * the way a reverse proxy does: status and filtered headers verbatim, body piped with back-pressure
 * and flushed per chunk, both sides reset when either side fails mid-stream.
 */
@Singleton
public class UpstreamRelay {

    private static final Logger LOG = Logger.getLogger(UpstreamRelay.class);
    /** Idle pooled connections close after this many seconds, below common upstream keep-alives (60 s+). */
    static final int IDLE_TIMEOUT_SECONDS = 30;
    private static final int MAX_CONNECTIONS = 1024;

    private final HttpClient pooled;
    private final HttpClient fresh;
    /** Connections that already carried a request: a failure on one of them may be a stale keep-alive. */
    private final Set<HttpConnection> used = Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));

    public UpstreamRelay(Vertx vertx) {
        PoolOptions pool = new PoolOptions().setHttp1MaxSize(MAX_CONNECTIONS);
        this.pooled = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true)
                .setKeepAliveTimeout(IDLE_TIMEOUT_SECONDS).setDecompressionSupported(false), pool);
        this.fresh = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(false)
                .setDecompressionSupported(false), pool);
    }

    /** Refreshes the upstream credential after a 401 and, when there is a new one, puts it into the headers. */
    @FunctionalInterface
    interface Reauthorization {
        /** True when {@code headers} now carry a credential worth one more try. */
        Future<Boolean> renew(MultiMap headers);
    }

    /**
     * Sends {@code body} with {@code headers} to {@code url} and relays the answer into {@code rc}; a 401
     * is retried once when {@code reauthorization} yields a new credential.
     */
    void relay(RoutingContext rc, String url, MultiMap headers, byte[] body, Reauthorization reauthorization) {
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setAbsoluteURI(url)
                .setHeaders(headers);
        Buffer payload = Buffer.buffer(body);
        exchange(rc, options, payload)
                .compose(answer -> answer.statusCode() != 401 ? Future.succeededFuture(answer)
                        : retryUnauthorized(rc, options, payload, answer, reauthorization))
                .onSuccess(upstream -> pipe(rc, upstream))
                .onFailure(failure -> badGateway(rc, failure instanceof UnsentException ? failure.getCause() : failure));
    }

    private Future<HttpClientResponse> exchange(RoutingContext rc, RequestOptions options, Buffer payload) {
        return send(pooled, rc, options, payload).recover(failure -> failure instanceof UnsentException
                ? send(fresh, rc, options, payload)
                : Future.failedFuture(failure));
    }

    private Future<HttpClientResponse> retryUnauthorized(RoutingContext rc, RequestOptions options, Buffer payload,
            HttpClientResponse rejected, Reauthorization reauthorization) {
        rejected.pause();
        return reauthorization.renew(options.getHeaders()).otherwise(false).compose(renewed -> {
            if (!renewed) {
                return Future.succeededFuture(rejected);
            }
            LOG.info("upstream answered 401; retrying once with the refreshed credential");
            // drain the rejected answer so its connection goes back to the pool
            rejected.exceptionHandler(ignored -> {
            }).handler(ignored -> {
            }).resume();
            return exchange(rc, options, payload);
        });
    }

    private Future<HttpClientResponse> send(HttpClient client, RoutingContext rc, RequestOptions options, Buffer body) {
        return client.request(options).compose(request -> {
            HttpServerResponse response = rc.response();
            if (response.closed()) {
                request.reset();
                return Future.failedFuture("client went away");
            }
            // a client that leaves while waiting or streaming cancels the upstream call
            response.closeHandler(ignored -> request.reset());
            boolean reused = !used.add(request.connection());
            request.putHeader("Content-Length", Integer.toString(body.length()));
            Future<HttpClientResponse> answer = request.response();
            return request.sendHead().transform(head -> {
                if (head.failed()) {
                    // nothing reached upstream: a stale pooled connection is safe to retry once on a fresh one
                    return Future.failedFuture(reused ? new UnsentException(head.cause()) : head.cause());
                }
                request.end(body);
                return answer;
            });
        });
    }

    private static void pipe(RoutingContext rc, HttpClientResponse upstream) {
        HttpServerResponse response = rc.response();
        if (response.closed()) {
            upstream.request().reset();
            return;
        }
        response.setStatusCode(upstream.statusCode()).setStatusMessage(upstream.statusMessage());
        ProxyHeaders.copyDown(upstream.headers(), response.headers());
        int status = upstream.statusCode();
        if (status != 204 && status != 304) {
            response.setChunked(true);
        }
        UsageTap tap = UsageTap.forAnswer(upstream.getHeader("Content-Type"), upstream.getHeader("Content-Encoding"));
        Runnable record = () -> {
            if (!tap.model().isEmpty()) {
                ApiEdge.recordModel(rc, tap.model());
            }
            if (tap.promptTokens() > 0 || tap.completionTokens() > 0) {
                ApiEdge.recordTokens(rc, tap.promptTokens(), tap.completionTokens());
            }
        };
        // a stream's counts are recorded as they pass, not only at its end: the Python SDK closes the connection at
        // "data: [DONE]", often before the upstream ends its body, and the call was recorded with no tokens
        new Tapped(upstream, tap, record, () -> {
            tap.finish();
            record.run();
        }).pipe().endOnFailure(false).to(response).onFailure(failure -> {
            LOG.debugf("stream relay ended early: %s", failure.getMessage());
            upstream.request().reset();
            EdgeResponses.abort(rc);
        });
    }

    /** Answers 502 text/plain {@code upstream request failed: <error>} unless the answer has already begun. */
    static void badGateway(RoutingContext rc, Throwable failure) {
        HttpServerResponse response = rc.response();
        if (response.closed() || response.ended() || response.headWritten()) {
            return;
        }
        LOG.debugf("upstream request failed: %s", failure.getMessage());
        response.setStatusCode(502).putHeader("Content-Type", "text/plain; charset=utf-8")
                .end("upstream request failed: " + failure.getMessage());
    }

    /** A request that failed before any byte of it was written. */
    private static final class UnsentException extends RuntimeException {
        UnsentException(Throwable cause) {
            super(cause.getMessage(), cause, false, false);
        }
    }

    /**
     * The upstream answer as a stream that shows every chunk to a {@link UsageTap} on its way through, running
     * {@code afterChunk} after each and {@code atEnd} once the answer has ended.
     */
    private static final class Tapped implements ReadStream<Buffer> {

        private final HttpClientResponse source;
        private final UsageTap tap;
        private final Runnable afterChunk;
        private final Runnable atEnd;

        Tapped(HttpClientResponse source, UsageTap tap, Runnable afterChunk, Runnable atEnd) {
            this.source = source;
            this.tap = tap;
            this.afterChunk = afterChunk;
            this.atEnd = atEnd;
        }

        @Override
        public ReadStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
            source.exceptionHandler(handler);
            return this;
        }

        @Override
        public ReadStream<Buffer> handler(Handler<Buffer> handler) {
            source.handler(handler == null ? null : chunk -> {
                tap.accept(chunk);
                afterChunk.run();
                handler.handle(chunk);
            });
            return this;
        }

        @Override
        public ReadStream<Buffer> pause() {
            source.pause();
            return this;
        }

        @Override
        public ReadStream<Buffer> resume() {
            source.resume();
            return this;
        }

        @Override
        public ReadStream<Buffer> fetch(long amount) {
            source.fetch(amount);
            return this;
        }

        @Override
        public ReadStream<Buffer> endHandler(Handler<Void> handler) {
            source.endHandler(handler == null ? null : ignored -> {
                atEnd.run();
                handler.handle(ignored);
            });
            return this;
        }
    }
}
