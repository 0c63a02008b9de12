package dev.cli2api.sandbox;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** The simulated vendor job API: submit under any {@code /vendors/...} path, then poll {@code <path>/<task id>}. */
final class VendorJobs {

    /** Tasks kept in memory; the oldest are forgotten beyond this many so a long sandbox run stays bounded. */
    static final int MAX_TASKS = 10_000;

    private final Supplier<String> baseUrl;
    private final Map<String, Task> tasks = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Task> eldest) {
            return size() > MAX_TASKS;
        }
    };

    VendorJobs(Supplier<String> baseUrl) {
        this.baseUrl = baseUrl;
    }

    /** {@code POST /vendors/...}: accepts any JSON object and answers 202 with a pending task. */
    void submit(RoutingContext ctx) {
        if (Replies.objectBody(ctx) == null) {
            UpstreamErrorShape.VENDOR.reject(ctx, 400, "invalid_request_error", "request body must be a JSON object");
            return;
        }
        Task task = new Task(Replies.newId("task-"), ctx.request().path(), now());
        synchronized (tasks) {
            tasks.put(task.id(), task);
        }
        Replies.json(ctx, 202, new JsonObject().put("task_info", taskInfo(task, "pending", task.createdAt())));
    }

    /** {@code GET /vendors/<submit path>/<task id>}: {@code processing} on the first poll, then {@code completed}. */
    void poll(RoutingContext ctx) {
        String path = ctx.request().path();
        int slash = path.lastIndexOf('/');
        Task task;
        synchronized (tasks) {
            task = tasks.get(path.substring(slash + 1));
        }
        if (task == null || !task.path().equals(path.substring(0, slash))) {
            UpstreamErrorShape.VENDOR.reject(ctx, 404, "not_found", "task not found");
            return;
        }
        if (task.poll() == 1) {
            Replies.json(ctx, 200, new JsonObject().put("task_info", taskInfo(task, "processing", now())));
            return;
        }
        Kind kind = Kind.of(task.path());
        Replies.json(ctx, 200, new JsonObject()
                .put("task_info", taskInfo(task, "completed", now()))
                .put(kind.field, new JsonArray().add(baseUrl.get() + SandboxAssets.PATH_PREFIX + kind.asset)));
    }

    /** Forgets every task. */
    void clear() {
        synchronized (tasks) {
            tasks.clear();
        }
    }

    private static JsonObject taskInfo(Task task, String status, String updatedAt) {
        return new JsonObject()
                .put("id", task.id())
                .put("status", status)
                .put("created_at", task.createdAt())
                .put("updated_at", updatedAt);
    }

    private static String now() {
        return Instant.now().truncatedTo(ChronoUnit.MILLIS).toString();
    }

    /** A submitted task: its id, the path it was submitted to, when, and how often it has been polled. */
    private record Task(String id, String path, String createdAt, AtomicInteger polls) {

        Task(String id, String path, String createdAt) {
            this(id, path, createdAt, new AtomicInteger());
        }

        /** Counts a poll and returns how many there have been, this one included. */
        int poll() {
            return polls.incrementAndGet();
        }
    }

    /** What a job produces, told apart by the vendor path it was submitted to. */
    enum Kind {
        IMAGE("images", SandboxAssets.PNG),
        VIDEO("videos", SandboxAssets.MP4),
        AUDIO("audios", SandboxAssets.MP3);

        private static final List<String> VIDEO_MARKERS = List.of("video", "sora", "veo", "kling", "seedance", "t2v",
                "i2v", "vace", "kf2v", "happy-horse");

        final String field;
        final String asset;

        Kind(String field, String asset) {
            this.field = field;
            this.asset = asset;
        }

        static Kind of(String path) {
            String lower = path.toLowerCase(Locale.ROOT);
            if (lower.contains("text-to-speech") || lower.contains("text-to-music")) {
                return AUDIO;
            }
            // "video" also covers Midjourney's tob/video-diffusion
            return VIDEO_MARKERS.stream().anyMatch(lower::contains) ? VIDEO : IMAGE;
        }
    }
}
