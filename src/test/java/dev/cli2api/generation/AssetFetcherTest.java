package dev.cli2api.generation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.http.HttpServer;

/** Downloads of generated assets end: an asset host that stops sending fails them instead of holding them open. */
class AssetFetcherTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    private Vertx vertx;
    private HttpServer host;
    private AssetFetcher fetcher;

    @BeforeEach
    void setUp() {
        vertx = Vertx.vertx();
        host = vertx.createHttpServer().requestHandler(request -> {
            switch (request.path()) {
                case "/ok" -> request.response().endAndForget("mp4 bytes");
                case "/moved" -> request.response().setStatusCode(302).putHeader("Location", "/ok")
                        .endAndForget("<a href=\"/ok\">Found</a>");
                case "/nowhere" -> request.response().setStatusCode(302).endAndForget("no Location");
                case "/stalls-body" -> request.response().setChunked(true).writeAndForget("the first part");
                default -> {
                    // takes the request and never answers
                }
            }
        }).listenAndAwait(0, "127.0.0.1");
        fetcher = new AssetFetcher(vertx, Duration.ofMillis(300));
    }

    @AfterEach
    void tearDown() {
        vertx.closeAndAwait();
    }

    private String url(String path) {
        return "http://127.0.0.1:" + host.actualPort() + path;
    }

    @Test
    void downloadsAnAsset() {
        assertArrayEquals("mp4 bytes".getBytes(StandardCharsets.UTF_8),
                fetcher.bytes(url("/ok")).await().atMost(WAIT));
    }

    @Test
    void followsARedirectAsGosClientDoes() {
        // a regression: the redirect page was taken for the asset (a b64_json image of its HTML, answered 200)
        assertArrayEquals("mp4 bytes".getBytes(StandardCharsets.UTF_8),
                fetcher.bytes(url("/moved")).await().atMost(WAIT));
        assertThrows(AssetFetcher.FetchException.class, () -> fetcher.bytes(url("/nowhere")).await().atMost(WAIT));
    }

    @Test
    void aHostThatNeverAnswersFailsTheDownload() {
        // a regression: GET /v1/videos/{id}/content waited for good on such a host
        assertThrows(AssetFetcher.FetchException.class, () -> fetcher.open(url("/never")).await().atMost(WAIT));
    }

    @Test
    void aHostThatStopsSendingTheBodyFailsTheDownload() {
        assertThrows(AssetFetcher.FetchException.class, () -> fetcher.bytes(url("/stalls-body")).await().atMost(WAIT));
    }

    @Test
    void aResultUrlThatIsNoUrlIsAFailedDownload() {
        // a regression: the video content route answered 500 for s3://… (thrown before the download began)
        for (String notAUrl : new String[] {"s3://bucket/v.mp4?X-Signature=secret", "/assets/v.mp4"}) {
            AssetFetcher.FetchException failure = assertThrows(AssetFetcher.FetchException.class,
                    () -> fetcher.open(notAUrl).await().atMost(WAIT));
            // said only "IllegalArgumentException"; and never the URL, which may be signed
            org.junit.jupiter.api.Assertions.assertEquals("the result URL is not an http(s) URL", failure.getMessage());
        }
    }
}
