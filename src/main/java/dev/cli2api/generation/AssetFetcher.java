package dev.cli2api.generation;

import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.http.HttpClient;
import io.vertx.mutiny.core.http.HttpClientResponse;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Downloads generated assets (the URLs a finished task lists) with a plain GET and no upstream credentials, either
 * whole (images for {@code b64_json}) or as a paused response whose body the caller streams (speech).
 */
@ApplicationScoped
public class AssetFetcher {

    /** Idle pooled connections are dropped before a typical CDN keep-alive closes them. */
    private static final int KEEP_ALIVE_SECONDS = 30;

    private final Vertx vertx;
    private volatile HttpClient client;

    public AssetFetcher(Vertx vertx) {
        this.vertx = vertx;
    }

    /** A download that got no usable answer: a transport error or an HTTP status of 400 or more. */
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
                    client = vertx.createHttpClient(new HttpClientOptions().setKeepAliveTimeout(KEEP_ALIVE_SECONDS)
                            .setConnectTimeout(10_000));
                }
                current = client;
            }
        }
        return current;
    }

    /** The response to {@code GET url}, paused: the caller must consume its body. Fails with {@link FetchException}. */
    public Uni<HttpClientResponse> open(String url) {
        return Uni.createFrom().deferred(() -> client()
                .request(new RequestOptions().setMethod(HttpMethod.GET).setAbsoluteURI(url))
                .flatMap(request -> request.send()))
                .onFailure().transform(e -> e instanceof FetchException ? e
                        : new FetchException(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage(), e))
                .flatMap(response -> {
                    if (response.statusCode() >= 400) {
                        // drain so the connection can be reused, then report the status
                        FetchException failure = new FetchException("upstream " + response.statusCode(), null);
                        return response.body().onFailure().recoverWithNull()
                                .flatMap(ignored -> Uni.createFrom().<HttpClientResponse> failure(failure));
                    }
                    response.pause();
                    return Uni.createFrom().item(response);
                });
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
