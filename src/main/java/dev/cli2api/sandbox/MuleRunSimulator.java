package dev.cli2api.sandbox;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.jboss.logging.Logger;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

/**
 * A local stand-in for the MuleRun gateway over real HTTP: chat, Responses and Messages replies (JSON or SSE),
 * the vendor job submit/poll protocol, and the sample files the finished jobs point at.
 */
public final class MuleRunSimulator {

    /** How many received requests {@link #requests()} keeps. */
    public static final int RECORDING_CAPACITY = 200;

    /** Pause between two SSE events unless another is given. */
    public static final Duration DEFAULT_STREAM_DELAY = Duration.ofMillis(30);

    private static final Logger LOG = Logger.getLogger(MuleRunSimulator.class);
    private static final String HOST = "127.0.0.1";
    private static final long BODY_LIMIT = 128L * 1024 * 1024;
    private static final Duration BLOCKING_TIMEOUT = Duration.ofSeconds(30);

    private final Vertx vertx;
    private final TextReplies text;
    private final VendorJobs jobs;
    private final SandboxAssets assets = SandboxAssets.shared();
    private final Deque<RecordedRequest> recorded = new ArrayDeque<>();
    private Future<HttpServer> listening;
    private volatile HttpServer server;

    /** A simulator on {@code vertx} that streams with {@link #DEFAULT_STREAM_DELAY} between events. */
    public MuleRunSimulator(Vertx vertx) {
        this(vertx, DEFAULT_STREAM_DELAY);
    }

    /** A simulator on {@code vertx} that waits {@code streamDelay} between two SSE events. */
    public MuleRunSimulator(Vertx vertx, Duration streamDelay) {
        this.vertx = vertx;
        this.text = new TextReplies(vertx, streamDelay);
        this.jobs = new VendorJobs(this::baseUrl);
    }

    /** Starts listening on 127.0.0.1:{@code port} ({@code 0} picks a free port); completes with the bound port. */
    public synchronized Future<Integer> startAsync(int port) {
        if (listening != null) {
            return Future.failedFuture(new IllegalStateException("the MuleRun simulator is already started"));
        }
        Future<HttpServer> bound = vertx.createHttpServer(new HttpServerOptions().setHost(HOST))
                .requestHandler(router())
                .listen(port, HOST);
        listening = bound;
        return bound.map(started -> onListening(bound, started)).onFailure(e -> forget(bound));
    }

    /** Starts listening like {@link #startAsync(int)} and waits for it; must not be called on an event loop. */
    public int start(int port) {
        return await(startAsync(port), "start");
    }

    /** {@code http://127.0.0.1:<port>}, the value to use as the MuleRun API base URL. */
    public String baseUrl() {
        return "http://" + HOST + ":" + port();
    }

    /** The bound port. */
    public int port() {
        HttpServer current = server;
        if (current == null) {
            throw new IllegalStateException("the MuleRun simulator is not started");
        }
        return current.actualPort();
    }

    /** The received requests, oldest first, up to the last {@link #RECORDING_CAPACITY}. */
    public List<RecordedRequest> requests() {
        synchronized (recorded) {
            return List.copyOf(recorded);
        }
    }

    /** Forgets the recorded requests and every submitted task. */
    public void reset() {
        synchronized (recorded) {
            recorded.clear();
        }
        jobs.clear();
    }

    /** Stops listening; completes at once when not started. */
    public synchronized Future<Void> stopAsync() {
        Future<HttpServer> bound = listening;
        listening = null;
        server = null;
        if (bound == null) {
            return Future.succeededFuture();
        }
        // a start that failed left nothing to close
        return bound.otherwiseEmpty().compose(started -> started == null ? Future.succeededFuture() : started.close());
    }

    /** Stops listening like {@link #stopAsync()} and waits for it; must not be called on an event loop. */
    public void stop() {
        await(stopAsync(), "stop");
    }

    private synchronized int onListening(Future<HttpServer> bound, HttpServer started) {
        // a stop() issued while binding wins: the server is closed right after and must not be published
        if (listening == bound) {
            server = started;
            LOG.infof("MuleRun simulator listening on %s", baseUrl());
        }
        return started.actualPort();
    }

    private synchronized void forget(Future<HttpServer> failed) {
        if (listening == failed) {
            listening = null;
        }
    }

    private Router router() {
        Router router = Router.router(vertx);
        router.route().handler(BodyHandler.create(false).setBodyLimit(BODY_LIMIT));
        router.route().handler(this::record);

        Handler<RoutingContext> openAiAuth = requireBearer(UpstreamErrorShape.OPENAI);
        router.post("/v1/chat/completions").handler(openAiAuth).handler(text::chat);
        router.post("/vendors/openai/v1/chat/completions").handler(openAiAuth).handler(text::chat);
        router.post("/vendors/openai/v1/responses").handler(openAiAuth).handler(text::responses);
        router.post("/v1/messages").handler(MuleRunSimulator::requireApiKey).handler(text::messages);

        Handler<RoutingContext> vendorAuth = requireBearer(UpstreamErrorShape.VENDOR);
        router.postWithRegex("/vendors/.+").handler(vendorAuth).handler(jobs::submit);
        router.getWithRegex("/vendors/.+").handler(vendorAuth).handler(jobs::poll);

        router.get(SandboxAssets.PATH_PREFIX + ":name").handler(assets::serve);
        router.route().handler(ctx -> UpstreamErrorShape.VENDOR.reject(ctx, 404, "not_found", "Not Found"));
        router.route().failureHandler(MuleRunSimulator::fail);
        return router;
    }

    private void record(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        Buffer body = ctx.body().buffer();
        RecordedRequest entry = RecordedRequest.of(request.method().name(), request.path(), request.query(),
                request.headers(), body == null ? new byte[0] : body.getBytes());
        synchronized (recorded) {
            recorded.addLast(entry);
            while (recorded.size() > RECORDING_CAPACITY) {
                recorded.removeFirst();
            }
        }
        ctx.next();
    }

    private static Handler<RoutingContext> requireBearer(UpstreamErrorShape style) {
        return ctx -> {
            String header = ctx.request().getHeader("Authorization");
            boolean bearer = header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)
                    && !header.substring(7).isBlank();
            if (bearer) {
                ctx.next();
            } else {
                style.reject(ctx, 401, "invalid_request_error",
                        "You didn't provide an API key. Provide it in an Authorization header using Bearer auth.");
            }
        };
    }

    private static void requireApiKey(RoutingContext ctx) {
        String key = ctx.request().getHeader("X-API-Key");
        if (key != null && !key.isBlank()) {
            ctx.next();
        } else {
            UpstreamErrorShape.ANTHROPIC.reject(ctx, 401, "authentication_error", "x-api-key header is required");
        }
    }

    private static void fail(RoutingContext ctx) {
        if (ctx.response().headWritten()) {
            ctx.response().reset();
            return;
        }
        int status = ctx.statusCode() > 0 ? ctx.statusCode() : 500;
        String message;
        if (status == 413) {
            message = "request body too large";
        } else if (status < 500) {
            message = "bad request";
        } else {
            message = "internal simulator error";
            LOG.errorf(ctx.failure(), "MuleRun simulator failed on %s %s", ctx.request().method(),
                    ctx.request().path());
        }
        UpstreamErrorShape.VENDOR.reject(ctx, status, "server_error", message);
    }

    private static <T> T await(Future<T> future, String action) {
        if (Context.isOnEventLoopThread()) {
            throw new IllegalStateException(
                    "cannot " + action + " the MuleRun simulator on an event loop; use the async variant");
        }
        try {
            return future.toCompletionStage().toCompletableFuture()
                    .get(BLOCKING_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting to " + action + " the MuleRun simulator", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot " + action + " the MuleRun simulator", e);
        }
    }
}
