package dev.cli2api.generation;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import dev.cli2api.api.EdgeResponses;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.ext.web.RoutingContext;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.core.http.HttpClient;
import io.vertx.mutiny.core.http.HttpClientResponse;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Downloads generated assets (the URLs a finished task lists) with a plain GET and no upstream credentials, either
 * whole (images for {@code b64_json}) or as a paused response whose body the caller streams (speech).
 */
@ApplicationScoped
public class AssetFetcher {

    /** Idle pooled connections are dropped before a typical CDN keep-alive closes them. */
    private static final int KEEP_ALIVE_SECONDS = 30;
    /**
     * How long a download may go without a byte from the asset host, for its answer's head and then for each part of
     * its body, before it fails: a host that took the connection and never answered held {@code /content} (and
     * speech) open for good.
     */
    static final Duration IDLE_TIMEOUT = Duration.ofSeconds(60);

    private final Vertx vertx;
    private final Duration idleTimeout;
    private volatile HttpClient client;

    @Inject
    public AssetFetcher(Vertx vertx) {
        this(vertx, IDLE_TIMEOUT);
    }

    AssetFetcher(Vertx vertx, Duration idleTimeout) {
        this.vertx = vertx;
        this.idleTimeout = idleTimeout;
    }

    /**
     * A download that got no usable answer: a transport error, or an HTTP status of 300 or more once redirects were
     * followed.
     */
    public static final class FetchException extends RuntimeException {
        FetchException(String message, Throwable cause) {
            super(message, cause, false, false);
        }
    }

    private HttpClient client() {
        HttpClient current = client;
        if (current == null) {
            synchronized (this) {
                if (client == null) {
                    // the idle timeout closes a connection that neither reads nor writes for that long: a download
                    // waiting for its answer or for more of its body fails (a request's own idle timeout stops at
                    // the answer's head)
                    client = vertx.createHttpClient(new HttpClientOptions().setKeepAliveTimeout(KEEP_ALIVE_SECONDS)
                            .setConnectTimeout(10_000).setIdleTimeout((int) idleTimeout.toMillis())
                            .setIdleTimeoutUnit(TimeUnit.MILLISECONDS));
                }
                current = client;
            }
        }
        return current;
    }

    /**
     * The response to {@code GET url} (redirects followed), paused: the caller must consume its body. Fails with
     * {@link FetchException}, also for a URL that is not one ({@code s3://…}) and after {@link #IDLE_TIMEOUT} without
     * a byte.
     */
    public Uni<HttpClientResponse> open(String url) {
        return Uni.createFrom().deferred(() -> client()
                // signed CDN URLs redirect, and Go's client (the reference's) follows redirects: the redirect page
                // was taken for the asset (a b64_json image of its HTML, 200)
                .request(new RequestOptions().setMethod(HttpMethod.GET).setAbsoluteURI(url)
                        .setFollowRedirects(true))
                .flatMap(request -> request.send()))
                .onFailure().transform(e -> e instanceof FetchException ? e : new FetchException(describe(e), e))
                .flatMap(response -> {
                    if (response.statusCode() >= 300) {
                        // drain so the connection can be reused, then report the status
                        FetchException failure = new FetchException("upstream " + response.statusCode(), null);
                        return response.body().onFailure().recoverWithNull()
                                .flatMap(ignored -> Uni.createFrom().<HttpClientResponse> failure(failure));
                    }
                    response.pause();
                    return Uni.createFrom().item(response);
                });
    }

    /**
     * What went wrong, for the client's 502: a URL Vert.x cannot request ({@code s3://…}, a bare path) said only
     * {@code IllegalArgumentException}; the URL itself is not shown, since a signed one carries its credentials.
     */
    private static String describe(Throwable e) {
        String message = e.getMessage();
        if (e instanceof IllegalArgumentException || (message != null && message.startsWith("Invalid url"))) {
            return "the result URL is not an http(s) URL";
        }
        return message == null ? e.getClass().getSimpleName() : message;
    }

    /**
     * The body of a download opened by {@link #open}, relayed to the client of {@code rc} as it arrives; a download
     * that breaks off ends that answer abruptly ({@link EdgeResponses#abort}): left to RESTEasy, the exchange never
     * ended for the edge (no access line, no usage record).
     */
    public static Multi<byte[]> relayed(HttpClientResponse response, RoutingContext rc) {
        return response.toMulti().map(Buffer::getBytes).onFailure().invoke(broken -> EdgeResponses.abort(rc));
    }

    /** The whole body of {@code GET url}. Fails with {@link FetchException}. */
    public Uni<byte[]> bytes(String url) {
        return open(url).flatMap(response -> {
            // register the body handler before letting the paused response flow
            var body = response.getDelegate().body();
            response.resume();
            return Uni.createFrom().completionStage(body.toCompletionStage());
        }).map(io.vertx.core.buffer.Buffer::getBytes)
                .onFailure(e -> !(e instanceof FetchException))
                .transform(e -> new FetchException(String.valueOf(e.getMessage()), e));
    }
}
