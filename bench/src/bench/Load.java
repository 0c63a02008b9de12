package bench;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Load clients the benchmarks need beyond wrk; each prints one JSON line of results.
 * <ul>
 * <li>{@code sse-latency --url U [--chunks 200] [--interval-ms 10] [--streams 5]}: streams one after another; for
 * every event, its delay = arrival time here minus the send time the fake stamped into it;</li>
 * <li>{@code sse-hold --url U --streams 1000 [--chunks 40] [--interval-ms 500] [--pids P,Q]}: all streams at once;
 * samples the processes' RSS and threads while every stream is open;</li>
 * <li>{@code burst --url U --requests N [--concurrency C] --body JSON [--expect 200] [--check-image true]
 * [--pids P]}: N POSTs, at most C in flight, each answer checked; samples the processes while they are pending;</li>
 * <li>{@code paced-get --base U --ids FILE --rate R [--connections 64] [--seconds 10] [--warmup-s 5]
 * [--path /v1/videos/]}: after a warm-up at the same rate, an open loop of GETs of {@code <base><path><id>} (ids drawn
 * at random from FILE, one a line) at R a second over at most {@code connections} keep-alive connections, each timed
 * from when it was due, not from when it could be sent, so a slow stretch counts in full for every request that waited
 * behind it (no coordinated omission).</li>
 * </ul>
 */
public final class Load {

    private static final String CHAT_BODY = "{\"model\":\"gpt-bench\",\"stream\":true,"
            + "\"messages\":[{\"role\":\"user\",\"content\":\"stream please\"}]}";

    private Load() {
    }

    public static void main(String[] argv) throws Exception {
        String mode = argv[0];
        Args args = new Args(Arrays.copyOfRange(argv, 1, argv.length));
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
        try {
            JsonObject out = switch (mode) {
                case "sse-latency" -> sseLatency(vertx, args);
                case "sse-hold" -> sseHold(vertx, args);
                case "burst" -> burst(vertx, args);
                case "paced-get" -> pacedGet(vertx, args);
                default -> throw new IllegalArgumentException("unknown mode " + mode);
            };
            System.out.println(out.encode());
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
        System.exit(0);
    }

    private static HttpClient client(Vertx vertx, int connections) {
        return vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setTcpNoDelay(true)
                .setConnectTimeout(60_000).setIdleTimeout(0), new PoolOptions().setHttp1MaxSize(connections));
    }

    private static RequestOptions post(String url) {
        return new RequestOptions().setMethod(HttpMethod.POST).setAbsoluteURI(url)
                .putHeader("Content-Type", "application/json").setIdleTimeout(0);
    }

    /** One SSE stream's observations. */
    private static final class Stream {
        final long startNanos = System.nanoTime();
        final List<Long> delays = new ArrayList<>();
        final StringBuilder pending = new StringBuilder();
        long firstNanos;
        long lastNanos;
        int events;
        boolean done;
        int status;

        /** Feeds received bytes; complete events are timed against their stamp. */
        void feed(Buffer chunk) {
            long now = System.nanoTime();
            pending.append(chunk.toString(StandardCharsets.UTF_8));
            int end;
            while ((end = pending.indexOf("\n\n")) >= 0) {
                String event = pending.substring(0, end);
                pending.delete(0, end + 2);
                if (event.startsWith("data: [DONE]")) {
                    done = true;
                    continue;
                }
                int t = event.indexOf("\"t\":");
                if (t < 0) {
                    continue;
                }
                int stop = event.indexOf(',', t);
                long sent = Long.parseLong(event.substring(t + 4, stop));
                if (events == 0) {
                    firstNanos = now;
                }
                lastNanos = now;
                events++;
                delays.add(now - sent);
            }
        }
    }

    private static void open(HttpClient client, String url, int chunks, int intervalMs, Stream s,
            Runnable firstEvent, java.util.function.Consumer<Throwable> ended) {
        RequestOptions options = post(url).putHeader("X-Bench-Stream", chunks + "," + intervalMs)
                .putHeader("Accept", "text/event-stream");
        client.request(options).compose(req -> req.send(CHAT_BODY)).onComplete(ar -> {
            if (ar.failed()) {
                ended.accept(ar.cause());
                return;
            }
            var res = ar.result();
            s.status = res.statusCode();
            boolean[] first = {true};
            res.handler(b -> {
                s.feed(b);
                if (first[0] && s.events > 0) {
                    first[0] = false;
                    firstEvent.run();
                }
            });
            res.exceptionHandler(ended::accept);
            res.endHandler(v -> ended.accept(null));
        });
    }

    private static JsonObject sseLatency(Vertx vertx, Args args) throws Exception {
        String url = args.required("url");
        int chunks = args.integer("chunks", 200);
        int interval = args.integer("interval-ms", 10);
        int streams = args.integer("streams", 5);
        HttpClient client = client(vertx, 1);
        List<Long> all = new ArrayList<>();
        List<Long> ttfb = new ArrayList<>();
        List<Long> spread = new ArrayList<>();
        int errors = 0;
        int incomplete = 0;
        for (int i = 0; i < streams; i++) {
            Stream s = new Stream();
            CountDownLatch done = new CountDownLatch(1);
            AtomicReference<Throwable> failure = new AtomicReference<>();
            open(client, url, chunks, interval, s, () -> {
            }, e -> {
                failure.set(e);
                done.countDown();
            });
            if (!done.await(chunks * (long) interval + 60_000, TimeUnit.MILLISECONDS) || failure.get() != null
                    || s.status != 200) {
                errors++;
                continue;
            }
            if (s.events != chunks || !s.done) {
                incomplete++;
            }
            if (i == 0) {
                continue; // warm-up stream, not counted
            }
            synchronized (s) {
                all.addAll(s.delays);
            }
            ttfb.add(s.firstNanos - s.startNanos);
            spread.add(s.lastNanos - s.firstNanos);
        }
        Collections.sort(all);
        return new JsonObject().put("streams", streams).put("chunks", chunks).put("interval_ms", interval)
                .put("errors", errors).put("incomplete", incomplete).put("events_measured", all.size())
                .put("delay_p50_us", micros(pct(all, 50))).put("delay_p90_us", micros(pct(all, 90)))
                .put("delay_p99_us", micros(pct(all, 99))).put("delay_max_us", micros(pct(all, 100)))
                .put("first_event_ms_median", millis(median(ttfb)))
                .put("first_to_last_event_ms_median", millis(median(spread)))
                .put("expected_first_to_last_ms", (chunks - 1) * (long) interval);
    }

    private static JsonObject sseHold(Vertx vertx, Args args) throws Exception {
        String url = args.required("url");
        int streams = args.integer("streams", 1000);
        int chunks = args.integer("chunks", 40);
        int interval = args.integer("interval-ms", 500);
        ProcStats proc = new ProcStats(args.text("pids", ""));
        HttpClient client = client(vertx, streams);
        AtomicInteger open = new AtomicInteger();
        AtomicInteger ok = new AtomicInteger();
        AtomicInteger errors = new AtomicInteger();
        AtomicReference<String> firstError = new AtomicReference<>();
        CountDownLatch ended = new CountDownLatch(streams);
        long start = System.nanoTime();
        long[] baseline = proc.sample();
        for (int i = 0; i < streams; i++) {
            Stream s = new Stream();
            vertx.runOnContext(v -> open(client, url, chunks, interval, s, open::incrementAndGet, e -> {
                if (e == null && s.status == 200 && s.done && s.events == chunks) {
                    ok.incrementAndGet();
                } else {
                    errors.incrementAndGet();
                    firstError.compareAndSet(null, e != null ? String.valueOf(e)
                            : "status " + s.status + " events " + s.events + " done " + s.done);
                }
                ended.countDown();
            }));
        }
        long allOpenMs = -1;
        long peakRss = 0;
        long peakThreads = 0;
        long rssAllOpen = 0;
        long threadsAllOpen = 0;
        while (!ended.await(250, TimeUnit.MILLISECONDS)) {
            long[] sample = proc.sample();
            int nowOpen = open.get() - ok.get() - errors.get();
            peakRss = Math.max(peakRss, sample[0]);
            peakThreads = Math.max(peakThreads, sample[1]);
            if (nowOpen == streams) {
                if (allOpenMs < 0) {
                    allOpenMs = (System.nanoTime() - start) / 1_000_000;
                }
                rssAllOpen = Math.max(rssAllOpen, sample[0]);
                threadsAllOpen = Math.max(threadsAllOpen, sample[1]);
            }
        }
        return new JsonObject().put("streams", streams).put("chunks", chunks).put("interval_ms", interval)
                .put("completed", ok.get()).put("errors", errors.get()).put("first_error", firstError.get())
                .put("all_open_after_ms", allOpenMs).put("elapsed_ms", (System.nanoTime() - start) / 1_000_000)
                .put("idle_rss_mb", baseline[0] / 1024).put("idle_threads", baseline[1])
                .put("rss_all_open_mb", rssAllOpen / 1024).put("threads_all_open", threadsAllOpen)
                .put("peak_rss_mb", peakRss / 1024).put("peak_threads", peakThreads);
    }

    private static JsonObject burst(Vertx vertx, Args args) throws Exception {
        String url = args.required("url");
        int requests = args.integer("requests", 1000);
        int concurrency = args.integer("concurrency", requests);
        int expect = args.integer("expect", 200);
        boolean checkImage = Boolean.parseBoolean(args.text("check-image", "false"));
        String body = args.required("body");
        ProcStats proc = new ProcStats(args.text("pids", ""));
        HttpClient client = client(vertx, concurrency);
        AtomicInteger started = new AtomicInteger();
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger ok = new AtomicInteger();
        AtomicInteger errors = new AtomicInteger();
        AtomicReference<String> firstError = new AtomicReference<>();
        Set<String> urls = ConcurrentHashMap.newKeySet();
        List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch ended = new CountDownLatch(requests);
        AtomicLong lastEnd = new AtomicLong();
        long[] baseline = proc.sample();
        long start = System.nanoTime();
        Runnable[] next = new Runnable[1];
        next[0] = () -> {
            if (started.incrementAndGet() > requests) {
                return;
            }
            inFlight.incrementAndGet();
            long t0 = System.nanoTime();
            client.request(post(url)).compose(req -> req.send(body).compose(res -> res.body()
                    .map(b -> new Object[] {res.statusCode(), b}))).onComplete(ar -> {
                        inFlight.decrementAndGet();
                        String error = null;
                        if (ar.failed()) {
                            error = String.valueOf(ar.cause());
                        } else {
                            int status = (Integer) ar.result()[0];
                            Buffer b = (Buffer) ar.result()[1];
                            if (status != expect) {
                                error = "status " + status + ": " + b.toString();
                            } else if (checkImage) {
                                error = checkImage(b, urls);
                            }
                        }
                        if (error == null) {
                            ok.incrementAndGet();
                        } else {
                            errors.incrementAndGet();
                            firstError.compareAndSet(null, error);
                        }
                        latencies.add(System.nanoTime() - t0);
                        lastEnd.set(System.nanoTime());
                        ended.countDown();
                        next[0].run();
                    });
        };
        for (int i = 0; i < Math.min(concurrency, requests); i++) {
            vertx.runOnContext(v -> next[0].run());
        }
        long peakRss = 0;
        long peakThreads = 0;
        int peakPending = 0;
        long rssAtPeak = 0;
        long threadsAtPeak = 0;
        while (!ended.await(250, TimeUnit.MILLISECONDS)) {
            if (!proc.any()) {
                continue;
            }
            long[] sample = proc.sample();
            int pending = inFlight.get();
            peakRss = Math.max(peakRss, sample[0]);
            peakThreads = Math.max(peakThreads, sample[1]);
            if (pending >= peakPending) {
                peakPending = pending;
                rssAtPeak = Math.max(rssAtPeak, sample[0]);
                threadsAtPeak = Math.max(threadsAtPeak, sample[1]);
            }
        }
        double elapsed = (lastEnd.get() - start) / 1e9;
        List<Long> sorted;
        synchronized (latencies) {
            sorted = new ArrayList<>(latencies);
        }
        Collections.sort(sorted);
        JsonObject out = new JsonObject().put("requests", requests).put("concurrency", concurrency)
                .put("ok", ok.get()).put("errors", errors.get()).put("first_error", firstError.get())
                .put("elapsed_s", round(elapsed)).put("per_s", round(requests / elapsed))
                .put("latency_p50_ms", millis(pct(sorted, 50))).put("latency_p99_ms", millis(pct(sorted, 99)))
                .put("latency_max_ms", millis(pct(sorted, 100)));
        if (checkImage) {
            out.put("distinct_urls", urls.size());
        }
        if (proc.any()) {
            out.put("idle_rss_mb", baseline[0] / 1024).put("idle_threads", baseline[1])
                    .put("peak_pending", peakPending).put("rss_at_peak_pending_mb", rssAtPeak / 1024)
                    .put("threads_at_peak_pending", threadsAtPeak).put("peak_rss_mb", peakRss / 1024)
                    .put("peak_threads", peakThreads);
        }
        return out;
    }

    /**
     * GETs at a fixed rate, measured after {@code --warmup-s} (5) seconds of the same load whose numbers are dropped
     * (a cold client JVM falls behind for its first seconds, and that would count against the service): a 1 ms timer
     * sends whatever has come due since the start (request i is due at {@code i / rate} s); requests beyond the
     * connection limit wait in the client's pool, and that wait counts in their latency. A timer that fires late on
     * a busy machine counts against the service too (conservative: against the fake upstream, a trivial server, this
     * client measured a p99 of about 4 ms at 2,000 and 5,000 GETs/s on a 2-core machine).
     */
    private static JsonObject pacedGet(Vertx vertx, Args args) throws Exception {
        String base = args.required("base") + args.text("path", "/v1/videos/");
        List<String> ids = Files.readAllLines(Path.of(args.required("ids")));
        int rate = args.integer("rate", 1000);
        int connections = args.integer("connections", 64);
        HttpClient client = client(vertx, connections);
        paced(vertx, client, base, ids, rate, args.integer("warmup-s", 5));
        return paced(vertx, client, base, ids, rate, args.integer("seconds", 10)).put("connections", connections);
    }

    private static JsonObject paced(Vertx vertx, HttpClient client, String base, List<String> ids, int rate,
            int seconds) throws InterruptedException {
        int total = rate * seconds;
        long[] latencies = new long[total];
        Arrays.fill(latencies, -1);
        AtomicInteger done = new AtomicInteger();
        AtomicInteger ok = new AtomicInteger();
        AtomicInteger errors = new AtomicInteger();
        AtomicReference<String> firstError = new AtomicReference<>();
        CountDownLatch ended = new CountDownLatch(total);
        Random random = new Random();
        long start = System.nanoTime();
        long[] sent = {0};
        vertx.setPeriodic(1, timer -> {
            long due = Math.min(total, (System.nanoTime() - start) * rate / 1_000_000_000L + 1);
            for (; sent[0] < due; sent[0]++) {
                int i = (int) sent[0];
                long dueAt = start + i * 1_000_000_000L / rate;
                RequestOptions get = new RequestOptions().setMethod(HttpMethod.GET)
                        .setAbsoluteURI(base + ids.get(random.nextInt(ids.size()))).setIdleTimeout(0);
                client.request(get).compose(req -> req.send().compose(res -> res.body()
                        .map(b -> res.statusCode()))).onComplete(ar -> {
                            latencies[i] = System.nanoTime() - dueAt;
                            if (ar.succeeded() && ar.result() == 200) {
                                ok.incrementAndGet();
                            } else {
                                errors.incrementAndGet();
                                firstError.compareAndSet(null,
                                        ar.succeeded() ? "status " + ar.result() : String.valueOf(ar.cause()));
                            }
                            done.incrementAndGet();
                            ended.countDown();
                        });
            }
            if (sent[0] >= total) {
                vertx.cancelTimer(timer);
            }
        });
        boolean finished = ended.await(seconds + 60L, TimeUnit.SECONDS);
        double elapsed = (System.nanoTime() - start) / 1e9;
        List<Long> sorted = new ArrayList<>(total);
        for (long latency : latencies) {
            if (latency >= 0) {
                sorted.add(latency);
            }
        }
        Collections.sort(sorted);
        return new JsonObject().put("rate", rate).put("seconds", seconds).put("requests", total)
                .put("ok", ok.get()).put("errors", errors.get()).put("unfinished", total - done.get())
                .put("first_error", firstError.get()).put("finished", finished)
                .put("per_s", round(done.get() / elapsed))
                .put("latency_p50_ms", millis(pct(sorted, 50))).put("latency_p90_ms", millis(pct(sorted, 90)))
                .put("latency_p99_ms", millis(pct(sorted, 99))).put("latency_max_ms", millis(pct(sorted, 100)));
    }

    /** Null when {@code b} is an images answer with one fake asset URL not seen before. */
    private static String checkImage(Buffer b, Set<String> urls) {
        try {
            JsonArray data = new JsonObject(b).getJsonArray("data");
            String url = data.getJsonObject(0).getString("url");
            if (url == null || !url.matches("http://127\\.0\\.0\\.1:\\d+/assets/task-[0-9a-f-]+\\.png")) {
                return "unexpected url " + url;
            }
            return urls.add(url) ? null : "duplicate url " + url;
        } catch (RuntimeException e) {
            return "bad answer " + b;
        }
    }

    private static long pct(List<Long> sorted, int p) {
        if (sorted.isEmpty()) {
            return -1;
        }
        int i = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, i)));
    }

    private static long median(List<Long> values) {
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return pct(sorted, 50);
    }

    private static double micros(long nanos) {
        return round(nanos / 1e3);
    }

    private static double millis(long nanos) {
        return round(nanos / 1e6);
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }
}
