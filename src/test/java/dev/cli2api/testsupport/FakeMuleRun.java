package dev.cli2api.testsupport;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;

/**
 * A scriptable fake MuleRun over real HTTP for job-client and generation-route tests: submits answer a scripted
 * reply (202 with task {@code task-1} by default), polls consume a scripted sequence (the last reply repeats), and
 * assets registered with {@link #asset} are served chunked. Polls can be held unanswered, to keep a caller's polls in
 * flight for as long as a test needs. Every request is recorded.
 */
public final class FakeMuleRun {

    /** One scripted HTTP answer; {@link #connectionDrop()} closes the connection without answering. */
    public record Reply(int status, String body, boolean dropConnection, long delayMillis) {

        public static Reply json(int status, String body) {
            return new Reply(status, body, false, 0);
        }

        public static Reply connectionDrop() {
            return new Reply(0, "", true, 0);
        }

        /** This reply, sent {@code millis} after the request arrived. */
        public Reply after(long millis) {
            return new Reply(status, body, dropConnection, millis);
        }

        public static Reply status(String status) {
            return json(200, "{\"task_info\":{\"id\":\"task-1\",\"status\":\"" + status + "\"}}");
        }

        public static Reply completed(String field, String... urls) {
            return json(200, "{\"task_info\":{\"id\":\"task-1\",\"status\":\"completed\"},\"" + field + "\":["
                    + String.join(",", java.util.Arrays.stream(urls).map(u -> "\"" + u + "\"").toList()) + "]}");
        }

        public static Reply vendorFailure(int code, String title, String detail) {
            return json(200, "{\"task_info\":{\"id\":\"task-1\",\"status\":\"failed\",\"error\":{\"code\":" + code
                    + ",\"title\":\"" + title + "\",\"detail\":\"" + detail + "\"}}}");
        }
    }

    /** A request as the fake received it, with the client port of the connection that carried it. */
    public record Received(String method, String path, String authorization, String body, int clientPort) {
    }

    /** An asset; {@code cutAfter} bytes of it are sent (of a declared whole) before the connection closes, if ≥ 0. */
    private record Asset(String contentType, byte[] bytes, int cutAfter) {
    }

    private static final Reply ACCEPTED = Reply.json(202, "{\"task_info\":{\"id\":\"task-1\",\"status\":\"pending\"}}");

    private final Vertx vertx = Vertx.vertx();
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final Map<String, Asset> assets = new ConcurrentHashMap<>();
    private final Deque<Reply> polls = new ArrayDeque<>();
    private final List<HttpServerRequest> heldPolls = new java.util.ArrayList<>();
    private boolean holdingPolls;
    private volatile Reply submit = ACCEPTED;
    private volatile String acceptedToken;
    private Reply lastPoll = Reply.status("processing");
    private HttpServer server;

    /** Starts on an ephemeral loopback port. */
    public void start() {
        try {
            server = vertx.createHttpServer().requestHandler(this::handle).listen(0, "127.0.0.1")
                    .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("fake MuleRun did not start", e);
        }
    }

    public void stop() {
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.actualPort();
    }

    /** Forgets the script, the assets and the recorded requests. */
    public synchronized void reset() {
        received.clear();
        assets.clear();
        polls.clear();
        submit = ACCEPTED;
        acceptedToken = null;
        lastPoll = Reply.status("processing");
        heldPolls.clear();
        holdingPolls = false;
    }

    public void onSubmit(Reply reply) {
        submit = reply;
    }

    /** From now on, job calls not carrying {@code Bearer <token>} are answered 401 (as after a token rotation). */
    public void acceptOnly(String token) {
        acceptedToken = token;
    }

    /** The replies of the next polls, in order; the last one repeats. */
    public synchronized void onPolls(Reply... replies) {
        polls.clear();
        polls.addAll(List.of(replies));
    }

    /** From now on polls get no answer until {@link #releasePolls}: whoever sent them keeps waiting. */
    public synchronized void holdPolls() {
        holdingPolls = true;
    }

    /** How many held polls still wait for their answer on an open connection. */
    public synchronized int heldPolls() {
        heldPolls.removeIf(request -> request.response().closed());
        return heldPolls.size();
    }

    /** Stops holding polls and answers the held ones that still wait from the script, in arrival order. */
    public void releasePolls() {
        List<HttpServerRequest> waiting;
        synchronized (this) {
            holdingPolls = false;
            waiting = List.copyOf(heldPolls);
            heldPolls.clear();
        }
        waiting.stream().filter(request -> !request.response().closed()).forEach(request -> answer(request,
                nextPoll()));
    }

    /** Serves {@code bytes} at {@code /assets/<name>} and returns the URL. */
    public String asset(String name, String contentType, byte[] bytes) {
        assets.put("/assets/" + name, new Asset(contentType, bytes, -1));
        return baseUrl() + "/assets/" + name;
    }

    /** Serves {@code bytes} at {@code /assets/<name>} with their length, but closes the connection after {@code sent}. */
    public String cutAsset(String name, String contentType, byte[] bytes, int sent) {
        assets.put("/assets/" + name, new Asset(contentType, bytes, sent));
        return baseUrl() + "/assets/" + name;
    }

    public List<Received> requests() {
        return List.copyOf(received);
    }

    /** The recorded poll requests (GETs under {@code /vendors/}). */
    public List<Received> polls() {
        return received.stream().filter(r -> r.method().equals("GET") && r.path().startsWith("/vendors/")).toList();
    }

    /** The recorded submit requests (POSTs). */
    public List<Received> submits() {
        return received.stream().filter(r -> r.method().equals("POST")).toList();
    }

    /** Parks {@code request} if polls are being held; true when it was. */
    private synchronized boolean held(HttpServerRequest request) {
        if (holdingPolls) {
            heldPolls.add(request);
        }
        return holdingPolls;
    }

    private synchronized Reply nextPoll() {
        if (!polls.isEmpty()) {
            lastPoll = polls.poll();
        }
        return lastPoll;
    }

    private void handle(HttpServerRequest request) {
        request.body().onSuccess(body -> {
            String authorization = request.getHeader("Authorization");
            received.add(new Received(request.method().name(), request.path(), authorization, body.toString(),
                    request.remoteAddress().port()));
            Asset asset = assets.get(request.path());
            if (asset != null && asset.cutAfter() >= 0) {
                request.response().putHeader("Content-Type", asset.contentType())
                        .putHeader("Content-Length", String.valueOf(asset.bytes().length))
                        .write(Buffer.buffer(java.util.Arrays.copyOf(asset.bytes(), asset.cutAfter())))
                        .onComplete(ignored -> request.connection().close());
                return;
            }
            if (asset != null) {
                var response = request.response().setChunked(true).putHeader("Content-Type", asset.contentType());
                int chunk = 1000;
                for (int i = 0; i < asset.bytes().length; i += chunk) {
                    response.write(Buffer.buffer(java.util.Arrays.copyOfRange(asset.bytes(), i,
                            Math.min(asset.bytes().length, i + chunk))));
                }
                response.end();
                return;
            }
            if (request.path().startsWith("/assets/")) {
                request.response().setStatusCode(404).end();
                return;
            }
            String required = acceptedToken;
            if (required != null && !("Bearer " + required).equals(authorization)) {
                answer(request, Reply.json(401, "{\"detail\":\"invalid api key\"}"));
                return;
            }
            boolean isSubmit = request.method().name().equals("POST");
            if (!isSubmit && held(request)) {
                return;
            }
            Reply reply = isSubmit ? submit : nextPoll();
            if (reply.delayMillis() > 0) {
                vertx.setTimer(reply.delayMillis(), id -> answer(request, reply));
            } else {
                answer(request, reply);
            }
        });
    }

    private static void answer(HttpServerRequest request, Reply reply) {
        if (request.response().closed()) {
            return;
        }
        if (reply.dropConnection()) {
            request.connection().close();
            return;
        }
        request.response().setStatusCode(reply.status()).putHeader("Content-Type", "application/json")
                .end(reply.body());
    }
}
