package bench;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

import io.vertx.core.AbstractVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;

/**
 * The fake MuleRun used by every benchmark, over real HTTP on 127.0.0.1 (one Vert.x server per core):
 * <ul>
 * <li>{@code POST /v1/chat/completions} (and the vendor chat path, {@code /v1/messages}): drains the body and answers a
 * small chat completion carrying {@code bench_received_bytes}; with header {@code X-Bench-Stream: <chunks>,<ms>} it
 * answers SSE instead: {@code chunks} events {@code ms} apart, each stamped with the send time
 * ({@code System.nanoTime()}, CLOCK_MONOTONIC, comparable across processes on one machine), then {@code [DONE]};</li>
 * <li>{@code POST /vendors/...}: a vendor job submit (202 with a task id);</li>
 * <li>{@code GET /vendors/.../<task>}: {@code processing} until the task has been polled more than
 * {@code --job-polls} times and is older than {@code --job-delay-ms}, then {@code completed} with an asset URL that
 * names the task;</li>
 * <li>{@code GET /assets/<name>.png}: a tiny PNG;</li>
 * <li>{@code GET /stats}: request counters (polls per upstream token), {@code POST /stats/reset}.</li>
 * </ul>
 * Usage: {@code FakeUpstream --port P [--job-delay-ms D] [--job-polls N] [--instances K]}.
 */
public final class FakeUpstream extends AbstractVerticle {

    private static final byte[] PNG = java.util.Base64.getDecoder().decode(
            "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==");
    private static final String PAD = "x".repeat(64);

    private static final Map<String, Task> TASKS = new ConcurrentHashMap<>();
    private static final LongAdder CHAT = new LongAdder();
    private static final LongAdder STREAMS = new LongAdder();
    private static final LongAdder SUBMITS = new LongAdder();
    private static final LongAdder POLLS = new LongAdder();
    private static final LongAdder COMPLETED = new LongAdder();
    private static final LongAdder ASSETS = new LongAdder();
    private static final Map<String, LongAdder> POLLS_BY_TOKEN = new ConcurrentHashMap<>();

    private static int port;
    private static long jobDelayMs;
    private static int jobPolls;

    private record Task(long createdNanos, AtomicInteger polls) {
    }

    public static void main(String[] args) {
        Args a = new Args(args);
        port = a.integer("port", 18080);
        jobDelayMs = a.integer("job-delay-ms", 0);
        jobPolls = a.integer("job-polls", 1);
        int instances = a.integer("instances", Runtime.getRuntime().availableProcessors());
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(instances));
        vertx.deployVerticle(FakeUpstream::new, new DeploymentOptions().setInstances(instances))
                .onSuccess(id -> System.out.println("fake upstream listening on 127.0.0.1:" + port + " job-delay-ms="
                        + jobDelayMs + " job-polls=" + jobPolls))
                .onFailure(e -> {
                    e.printStackTrace();
                    System.exit(1);
                });
    }

    @Override
    public void start(io.vertx.core.Promise<Void> started) {
        vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setTcpNoDelay(true)
                .setMaxChunkSize(64 * 1024).setIdleTimeout(0))
                .requestHandler(this::handle)
                .listen(port, "127.0.0.1")
                .<Void> mapEmpty()
                .onComplete(started);
    }

    private void handle(HttpServerRequest req) {
        String path = req.path();
        switch (req.method().name()) {
            case "POST" -> {
                if (path.equals("/stats/reset")) {
                    reset();
                    req.response().end("{}");
                } else if (path.startsWith("/vendors/") && !path.endsWith("/chat/completions")
                        && !path.endsWith("/responses")) {
                    drain(req, bytes -> submit(req));
                } else {
                    drain(req, bytes -> chat(req, bytes));
                }
            }
            case "GET" -> {
                if (path.startsWith("/vendors/")) {
                    poll(req, path);
                } else if (path.startsWith("/assets/")) {
                    ASSETS.increment();
                    req.response().putHeader("Content-Type", "image/png").end(Buffer.buffer(PNG));
                } else if (path.equals("/stats")) {
                    req.response().putHeader("Content-Type", "application/json").end(stats().encode());
                } else {
                    req.response().setStatusCode(404).end();
                }
            }
            default -> req.response().setStatusCode(405).end();
        }
    }

    /** Counts the body's bytes without keeping them, then calls {@code then}. */
    private static void drain(HttpServerRequest req, java.util.function.LongConsumer then) {
        long[] n = {0};
        req.handler(b -> n[0] += b.length());
        req.endHandler(v -> then.accept(n[0]));
    }

    private void chat(HttpServerRequest req, long receivedBytes) {
        String stream = req.getHeader("X-Bench-Stream");
        HttpServerResponse res = req.response();
        if (stream == null) {
            CHAT.increment();
            String body = "{\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion\",\"created\":1700000000,"
                    + "\"model\":\"gpt-bench\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\","
                    + "\"content\":\"Hello from the fake upstream.\"},\"finish_reason\":\"stop\"}],"
                    + "\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":7,\"total_tokens\":16},"
                    + "\"bench_received_bytes\":" + receivedBytes + "}";
            res.putHeader("Content-Type", "application/json").end(body);
            return;
        }
        STREAMS.increment();
        String[] parts = stream.split(",");
        int chunks = Integer.parseInt(parts[0].trim());
        long interval = Math.max(1, Long.parseLong(parts[1].trim()));
        res.setChunked(true).putHeader("Content-Type", "text/event-stream").putHeader("Cache-Control", "no-cache");
        sendChunk(res, 0, chunks, interval);
    }

    private void sendChunk(HttpServerResponse res, int i, int chunks, long interval) {
        if (res.closed()) {
            return;
        }
        if (i == chunks) {
            res.end("data: [DONE]\n\n");
            return;
        }
        res.write("data: {\"i\":" + i + ",\"t\":" + System.nanoTime() + ",\"choices\":[{\"delta\":{\"content\":\""
                + PAD + "\"}}]}\n\n");
        vertx.setTimer(interval, id -> sendChunk(res, i + 1, chunks, interval));
    }

    private void submit(HttpServerRequest req) {
        SUBMITS.increment();
        String id = "task-" + UUID.randomUUID();
        TASKS.put(id, new Task(System.nanoTime(), new AtomicInteger()));
        req.response().setStatusCode(202).putHeader("Content-Type", "application/json")
                .end("{\"task_info\":{\"id\":\"" + id + "\",\"status\":\"pending\"}}");
    }

    private void poll(HttpServerRequest req, String path) {
        POLLS.increment();
        String token = String.valueOf(req.getHeader("Authorization"));
        POLLS_BY_TOKEN.computeIfAbsent(token, t -> new LongAdder()).increment();
        String id = path.substring(path.lastIndexOf('/') + 1);
        Task task = TASKS.get(id);
        HttpServerResponse res = req.response().putHeader("Content-Type", "application/json");
        if (task == null) {
            res.setStatusCode(404).end("{\"error\":{\"code\":404,\"message\":\"task not found\"}}");
            return;
        }
        int polls = task.polls().incrementAndGet();
        long ageMs = (System.nanoTime() - task.createdNanos()) / 1_000_000;
        if (polls <= jobPolls || ageMs < jobDelayMs) {
            res.end("{\"task_info\":{\"id\":\"" + id + "\",\"status\":\"processing\"}}");
            return;
        }
        COMPLETED.increment();
        String url = "http://127.0.0.1:" + port + "/assets/" + id + ".png";
        res.end("{\"task_info\":{\"id\":\"" + id + "\",\"status\":\"completed\"},\"images\":[\"" + url
                + "\"],\"videos\":[\"" + url.replace(".png", ".mp4") + "\"],\"audios\":[]}");
    }

    private static JsonObject stats() {
        JsonObject byToken = new JsonObject();
        POLLS_BY_TOKEN.forEach((token, n) -> byToken.put(token.replace("Bearer ", ""), n.sum()));
        return new JsonObject().put("chat", CHAT.sum()).put("streams", STREAMS.sum()).put("submits", SUBMITS.sum())
                .put("polls", POLLS.sum()).put("completed", COMPLETED.sum()).put("assets", ASSETS.sum())
                .put("polls_by_token", byToken).put("now_ms", System.currentTimeMillis());
    }

    private static void reset() {
        TASKS.clear();
        POLLS_BY_TOKEN.clear();
        for (LongAdder a : new LongAdder[] {CHAT, STREAMS, SUBMITS, POLLS, COMPLETED, ASSETS}) {
            a.reset();
        }
    }
}
