package dev.cli2api.proxy;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;

/** A MuleRun stand-in over real HTTP that records every request and answers as the current test tells it. */
public final class FakeUpstream {

    /** One request as the fake received it. */
    public record Received(String method, String uri, MultiMap headers, byte[] body) {
        public String header(String name) {
            return headers.get(name);
        }
    }

    /** The default answer: 200 JSON with a cookie and a hop-by-hop header that must not reach the client. */
    public static final BiConsumer<HttpServerRequest, Buffer> OK = (request, body) -> request.response()
            .putHeader("Content-Type", "application/json")
            .putHeader("Set-Cookie", "upstream=secret")
            .putHeader("X-Upstream", "yes")
            .end("{\"ok\":true}");

    private static final FakeUpstream INSTANCE = new FakeUpstream();

    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final List<HttpServerRequest> closed = new CopyOnWriteArrayList<>();
    private volatile BiConsumer<HttpServerRequest, Buffer> answer = OK;
    private Vertx vertx;
    private HttpServer server;
    private int port;

    private FakeUpstream() {
    }

    public static FakeUpstream get() {
        return INSTANCE;
    }

    synchronized int start(int wanted) throws Exception {
        if (vertx == null) {
            vertx = Vertx.vertx();
        }
        server = await(vertx.createHttpServer().requestHandler(request -> {
            request.connection().closeHandler(ignored -> closed.add(request));
            request.body().onSuccess(body -> {
                received.add(new Received(request.method().name(), request.uri(),
                        MultiMap.caseInsensitiveMultiMap().addAll(request.headers()), body.getBytes()));
                answer.accept(request, body);
            });
        }).listen(wanted, "127.0.0.1"));
        port = server.actualPort();
        return port;
    }

    synchronized void stop() throws Exception {
        await(server.close());
    }

    /** Stops listening (connections are refused) until {@link #restart()}. */
    public void pause() throws Exception {
        stop();
    }

    /** Listens again on the same port. */
    public void restart() throws Exception {
        start(port);
    }

    synchronized void shutdown() throws Exception {
        if (vertx != null) {
            await(vertx.close());
            vertx = null;
        }
    }

    /** Waits (bounded) for {@code future} and returns its result. */
    static <T> T await(io.vertx.core.Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    public int port() {
        return port;
    }

    public Vertx vertx() {
        return vertx;
    }

    /** Forget recorded requests and go back to the default answer. */
    public void reset() {
        received.clear();
        closed.clear();
        answer = OK;
    }

    /** How the next requests are answered. */
    public void answer(BiConsumer<HttpServerRequest, Buffer> answer) {
        this.answer = answer;
    }

    public List<Received> received() {
        return List.copyOf(received);
    }

    /** The only request received since the last reset. */
    public Received single() {
        if (received.size() != 1) {
            throw new AssertionError("expected one upstream request, got " + received.size());
        }
        return received.get(0);
    }

    /** Requests whose connection has closed since the last reset. */
    public List<HttpServerRequest> closedConnections() {
        return List.copyOf(closed);
    }
}
