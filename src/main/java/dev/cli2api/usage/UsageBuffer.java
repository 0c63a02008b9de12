package dev.cli2api.usage;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
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

    private final BlockingQueue<UsageRecord> queue;
    private final Sink sink;
    private final AtomicLong dropped = new AtomicLong();
    private final Thread writer;
    private volatile boolean closing;

    UsageBuffer(int capacity, Sink sink) {
        this.queue = new ArrayBlockingQueue<>(capacity);
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

    private void drain() {
        List<UsageRecord> batch = new ArrayList<>();
        while (true) {
            UsageRecord first;
            try {
                first = queue.poll(200, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (first == null) {
                if (closing) {
                    return;
                }
                continue;
            }
            batch.add(first);
            queue.drainTo(batch, MAX_BATCH - 1);
            try {
                sink.write(List.copyOf(batch));
            } catch (Exception e) {
                LOG.warnf("usage insert failed: records=%d error=%s", batch.size(), e.getMessage());
            }
            batch.clear();
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
