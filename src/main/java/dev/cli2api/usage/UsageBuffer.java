package dev.cli2api.usage;

import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
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
 * <p>
 * A batch the store cannot take is not given up at once (spec §6.3 loses it; a usage record is a bill): while the
 * database cannot be reached or answers that it cannot work now (a restart, a failover, a full pool), the writer holds
 * the batch and tries again with a growing pause, and new records wait in the queue (a full queue drops and counts, as
 * ever). A batch the database rejects for what a record holds (a data or integrity error) is split until the records
 * it rejects are alone, so one bad record costs only itself. Any other failure (the table is missing, a bug) loses
 * the batch. Every lost record is logged ({@code usage insert failed}) and counted ({@link #lost}).
 */
final class UsageBuffer implements AutoCloseable {

    /** Where batches go, all of a batch or none of it (one statement). */
    @FunctionalInterface
    interface Sink {
        void write(List<UsageRecord> batch) throws Exception;
    }

    private static final Logger LOG = Logger.getLogger(UsageBuffer.class);
    private static final int MAX_BATCH = 500;
    static final long FLUSH_INTERVAL_MS = 100;
    /** How often the idle writer looks at the queue. */
    private static final long LOOK_MS = 10;
    /** The first pause before a batch is tried again; it doubles up to {@link #RETRY_MAX_MS}. */
    static final long RETRY_FIRST_MS = 100;
    static final long RETRY_MAX_MS = 5_000;
    private static final String STOPPED = "the writer stopped before they were written";

    /** What a failed write means for its batch. */
    enum Failure {
        /** The store could not take it now: try the same batch again. */
        RETRY,
        /** The store rejected what a record holds: split the batch so only such records are lost. */
        ISOLATE,
        /** Neither: the batch is lost. */
        LOSE
    }

    private final BlockingQueue<UsageRecord> queue;
    /** Queued records that start a batch at once, before the flush interval is up: an eighth of the queue. */
    private final int flushAt;
    private final long flushIntervalMs;
    private final Sink sink;
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong lost = new AtomicLong();
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

    /** Records the store did not take (rejected, or still failing when the writer had to stop). */
    long lost() {
        return lost.get();
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
                abandonQueued();
                return;
            }
            while (queue.drainTo(batch, MAX_BATCH) > 0) {
                if (!write(List.copyOf(batch))) {
                    abandonQueued(); // interrupted while the store was down: close ran out of patience
                    return;
                }
                batch.clear();
            }
            if (last) {
                return;
            }
        }
    }

    /**
     * Writes {@code batch}, trying again while the store cannot take it now and splitting it when the store rejects
     * a record; false when interrupted while waiting to try again (the batch is then lost).
     */
    private boolean write(List<UsageRecord> batch) {
        long pause = RETRY_FIRST_MS;
        for (int retries = 0;; retries++) {
            try {
                sink.write(batch);
                if (retries > 0) {
                    LOG.infof("usage insert succeeded on retry: records=%d retries=%d", batch.size(), retries);
                }
                return true;
            } catch (Exception e) {
                switch (classify(e)) {
                    case RETRY -> {
                        if (retries == 0) {
                            LOG.warnf("usage insert failed, retrying until the database takes it: records=%d error=%s",
                                    batch.size(), e.getMessage());
                        }
                        try {
                            Thread.sleep(pause);
                        } catch (InterruptedException interrupted) {
                            Thread.currentThread().interrupt();
                            lose(batch.size(), e.getMessage());
                            return false;
                        }
                        pause = Math.min(pause * 2, RETRY_MAX_MS);
                    }
                    case ISOLATE -> {
                        if (batch.size() == 1) {
                            lose(1, e.getMessage());
                            return true;
                        }
                        int half = batch.size() / 2;
                        if (!write(batch.subList(0, half))) {
                            lose(batch.size() - half, STOPPED);
                            return false;
                        }
                        return write(batch.subList(half, batch.size()));
                    }
                    default -> {
                        lose(batch.size(), e.getMessage());
                        return true;
                    }
                }
            }
        }
    }

    private void lose(int records, String error) {
        lost.addAndGet(records);
        LOG.warnf("usage insert failed: records=%d error=%s", records, error);
    }

    /** The writer stops before the store took what is still queued: those records are lost too. */
    private void abandonQueued() {
        int left = queue.drainTo(new ArrayList<>());
        if (left > 0) {
            lose(left, STOPPED);
        }
    }

    /**
     * What {@code e}, thrown by a write, means for its batch, by the first SQLSTATE in its causes: the connection
     * classes (08), transaction rollbacks (40), insufficient resources (53), an object in use (55), an operator or a
     * shutdown ending the statement (57, e.g. {@code 57P01} when the database restarts) and system errors (58) are
     * {@link Failure#RETRY}, and so is a JDBC exception with no SQLSTATE (a pool that timed out waiting for a
     * connection) or one JDBC calls transient or recoverable. Data exceptions (22), integrity violations (23) and
     * exceeded limits (54, e.g. an index entry too large) are {@link Failure#ISOLATE}. Anything else is
     * {@link Failure#LOSE}: trying again would fail the same way.
     */
    static Failure classify(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (!(t instanceof SQLException sql)) {
                continue;
            }
            String state = sql.getSQLState();
            if (state == null) {
                return Failure.RETRY;
            }
            return switch (state.length() < 2 ? "" : state.substring(0, 2)) {
                case "08", "40", "53", "55", "57", "58" -> Failure.RETRY;
                case "22", "23", "54" -> Failure.ISOLATE;
                default -> sql instanceof SQLTransientException || sql instanceof SQLRecoverableException
                        ? Failure.RETRY
                        : Failure.LOSE;
            };
        }
        return Failure.LOSE;
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
