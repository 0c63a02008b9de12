package dev.cli2api.api;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.io.JsonStringEncoder;

import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;

/**
 * Spec §1.1 step 4: one JSON line per request on standard output, message {@code "http"} with the fields
 * {@code method}, {@code path}, {@code status}, {@code bytes}, {@code duration_ms} and {@code request_id} as JSON
 * fields of their own, beside the {@code timestamp}/{@code level}/{@code loggerName}/{@code message} keys of every other
 * JSON log line. The level of the {@code cli2api.http} log category turns the lines on and off as for any category
 * ({@code QUARKUS_LOG_CATEGORY__CLI2API_HTTP__LEVEL=WARN} silences them; so does {@code CLI2API_LOG_LEVEL=warn}).
 *
 * <p>
 * Every request writes one, so the line is built directly (no log record, no formatter) and handed to a writer
 * thread that wakes every {@link #FLUSH_INTERVAL_MS} and writes what has queued up in as few writes as it can, each
 * at most {@link #CHUNK} bytes of whole lines so that no other line of this process can land inside one when standard
 * output is a pipe (as in a container). Lines are never dropped: when the queue is full the request's own thread
 * writes its line.
 */
@Singleton
public class AccessLog {

    /** The log category whose level decides whether access lines are written. */
    private static final String CATEGORY = "cli2api.http";
    static final long FLUSH_INTERVAL_MS = 20;
    /** Bytes per write at most: what a pipe writes in one piece (PIPE_BUF). */
    static final int CHUNK = 4096;
    private static final int DEFAULT_CAPACITY = 65_536;

    private static final Logger LEVEL = Logger.getLogger(CATEGORY);
    private static final Logger LOG = Logger.getLogger(AccessLog.class);

    private final BlockingQueue<String> queue;
    private final Thread writer;
    private OutputStream out;
    private volatile boolean closing;

    AccessLog() {
        this(new FileOutputStream(FileDescriptor.out), DEFAULT_CAPACITY);
    }

    AccessLog(OutputStream out, int capacity) {
        this.out = out;
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.writer = new Thread(this::drain, "cli2api-access-log");
        writer.setDaemon(true);
        writer.start();
    }

    /** Logs one finished request (no-op while the category's level is above INFO). */
    public void log(String method, String path, int status, long bytes, long durationMs, String requestId) {
        if (!LEVEL.isInfoEnabled()) {
            return;
        }
        String line = line(System.currentTimeMillis(), method, path, status, bytes, durationMs, requestId);
        if (closing || !queue.offer(line)) {
            write(List.of(line));
        }
    }

    /** The JSON line (with its newline) for one request. */
    static String line(long nowMillis, String method, String path, int status, long bytes, long durationMs,
            String requestId) {
        StringBuilder json = new StringBuilder(160 + path.length() + requestId.length());
        json.append("{\"timestamp\":\"").append(Instant.ofEpochMilli(nowMillis))
                .append("\",\"level\":\"INFO\",\"loggerName\":\"").append(CATEGORY)
                .append("\",\"message\":\"http\",\"method\":");
        quoted(json, method);
        json.append(",\"path\":");
        quoted(json, path);
        json.append(",\"status\":").append(status)
                .append(",\"bytes\":").append(bytes)
                .append(",\"duration_ms\":").append(durationMs)
                .append(",\"request_id\":");
        quoted(json, requestId);
        return json.append("}\n").toString();
    }

    private static void quoted(StringBuilder json, String value) {
        json.append('"');
        JsonStringEncoder.getInstance().quoteAsString(value, json);
        json.append('"');
    }

    /** Writes every line queued so far (tests; also the last step of {@link #close}). */
    void flush() {
        List<String> lines = new ArrayList<>();
        queue.drainTo(lines);
        if (!lines.isEmpty()) {
            write(lines);
        }
    }

    /** Sends later lines to {@code target} instead (tests); returns where they went before. */
    synchronized OutputStream redirect(OutputStream target) {
        flush();
        OutputStream before = out;
        out = target;
        return before;
    }

    private void drain() {
        while (!closing) {
            try {
                Thread.sleep(FLUSH_INTERVAL_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            flush();
        }
    }

    /** Writes {@code lines} in order, in writes of whole lines of at most {@link #CHUNK} bytes (longer lines alone). */
    private synchronized void write(List<String> lines) {
        try {
            byte[] chunk = new byte[CHUNK];
            int used = 0;
            for (String line : lines) {
                byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
                if (used > 0 && used + bytes.length > CHUNK) {
                    out.write(chunk, 0, used);
                    used = 0;
                }
                if (bytes.length > CHUNK) {
                    out.write(bytes);
                } else {
                    System.arraycopy(bytes, 0, chunk, used, bytes.length);
                    used += bytes.length;
                }
            }
            if (used > 0) {
                out.write(chunk, 0, used);
            }
            out.flush();
        } catch (IOException e) {
            LOG.debugf("writing access lines: %s", e.getMessage());
        }
    }

    @PreDestroy
    void close() {
        closing = true;
        writer.interrupt();
        try {
            writer.join(1_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        flush();
    }
}
