package dev.cli2api.usage;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicLong;

import org.jboss.logging.Logger;

/**
 * The bounded queue between request threads and the store (spec §6.3): {@link #offer} never blocks (a full queue
 * drops the record and counts it), and one writer thread drains the queue in batches into the sink. {@link #close}
 * writes what is still queued before it returns.
 */
final class UsageBuffer implements AutoCloseable {

    /** Where batches go; a failure is logged and the batch is lost (usage is best-effort, requests come first). */
    @FunctionalInterface
    interface Sink {
        void write(List<UsageRecord> batch) throws Exception;
    }

    private static final Logger LOG = Logger.getLogger(UsageBuffer.class);
    private static final int MAX_BATCH = 500;
    static final long FLUSH_INTERVAL_MS = 100;
    /** How often the idle writer looks at the queue. */
    private static final long LOOK_MS = 10;

    private final BlockingQueue<UsageRecord> queue;
    /** Queued records that start a batch at once, before the flush interval is up: an eighth of the queue. */
    private final int flushAt;
    private final long flushIntervalMs;
    private final Sink sink;
    private final AtomicLong dropped = new AtomicLong();
    private final Thread writer;
    private volatile boolean closing;

    UsageBuffer(int capacity, Sink sink) {
        this(capacity, sink, FLUSH_INTERVAL_MS);
    }

    UsageBuffer(int capacity, Sink sink, long flushIntervalMs) {
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.flushAt = Math.max(1, capacity / 8);
        this.flushIntervalMs = flushIntervalMs;
        this.sink = sink;
        this.writer = new Thread(this::drain, "cli2api-usage-writer");
        writer.setDaemon(true);
        writer.start();
    }

    /** Queues {@code record}; false (and counted) when the queue is full. Never blocks. */
    boolean offer(UsageRecord record) {
        if (closing || !queue.offer(record)) {
            dropped.incrementAndGet();
            return false;
        }
        return true;
    }

    long dropped() {
        return dropped.get();
    }

    /**
     * Writes what has queued up every flush interval ({@link #FLUSH_INTERVAL_MS} unless a test sets another), or as
     * soon as an eighth of the queue is waiting, rather than waking up for each record: under load that is one batch
     * insert every few milliseconds instead of a thread hand-off per request, and seven eighths of the queue stay free
     * for the records that arrive while a batch is written.
     */
    private void drain() {
        List<UsageRecord> batch = new ArrayList<>();
        while (true) {
            boolean last = closing;
            try {
                for (long waited = 0; !last && waited < flushIntervalMs && queue.size() < flushAt;
                        waited += LOOK_MS) {
                    Thread.sleep(LOOK_MS);
                    last = closing;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            while (queue.drainTo(batch, MAX_BATCH) > 0) {
                try {
                    sink.write(List.copyOf(batch));
                } catch (Exception e) {
                    LOG.warnf("usage insert failed: records=%d error=%s", batch.size(), e.getMessage());
                }
                batch.clear();
            }
            if (last) {
                return;
            }
        }
    }

    /** Stops taking records, writes the queued ones (waiting at most {@code patience}), and stops the writer. */
    void close(Duration patience) {
        closing = true;
        try {
            writer.join(patience.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (writer.isAlive()) {
            writer.interrupt();
        }
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(10));
    }
}
