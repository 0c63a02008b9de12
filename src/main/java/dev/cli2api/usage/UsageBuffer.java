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

    private final BlockingQueue<UsageRecord> queue;
    private final int capacity;
    private final Sink sink;
    private final AtomicLong dropped = new AtomicLong();
    private final Thread writer;
    private volatile boolean closing;

    UsageBuffer(int capacity, Sink sink) {
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.capacity = capacity;
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
     * Writes what has queued up every {@link #FLUSH_INTERVAL_MS} (sooner when the queue is half full), rather than
     * waking up for each record: under load that is one batch insert per tick instead of a thread hand-off per
     * request.
     */
    private void drain() {
        List<UsageRecord> batch = new ArrayList<>();
        while (true) {
            boolean last = closing;
            try {
                for (long waited = 0; !last && waited < FLUSH_INTERVAL_MS && queue.size() < capacity / 2;
                        waited += 10) {
                    Thread.sleep(10);
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
