package dev.cli2api.jobs;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.jboss.logging.Logger;

/**
 * Group commit of the worker's {@link JobTransition}s: one writer thread takes everything queued so far (up to
 * {@link #MAX_BATCH}) and writes it as one transaction, then runs each item's callback. Items queued while it writes
 * go together into the next batch, so batches grow with the load and the commits per job shrink. With a linger, a
 * batch also waits up to that long after its first item for more (outcomes that arrive at a steady, paced rate would
 * otherwise cost a commit each); without one, an item queued while the writer is idle is written at once.
 * <p>
 * A batch that fails is written again item by item, each in its own transaction, so one bad item cannot lose the
 * others' outcomes (unless the database could not be reached at all: then every item would fail alike); an item that
 * still fails is logged (its job is retried when its lease expires). An item's
 * callback runs only once its write has committed or definitely failed. The queue is not bounded here: the worker
 * bounds it, since each item is an upstream call it counts as in flight until the callback runs.
 */
final class TransitionWriter {

    /** Writes a batch in one transaction; says per item whether its lease was still held, or throws. */
    @FunctionalInterface
    interface Sink {
        boolean[] write(List<JobTransition> batch) throws Exception;
    }

    private static final Logger LOG = Logger.getLogger(TransitionWriter.class);
    /** The most transitions written in one transaction. */
    static final int MAX_BATCH = 256;

    private record Item(JobTransition transition, Runnable done) {
    }

    /** Queued by {@link #close}: the writer writes what came before it, then stops. */
    private static final Item STOP = new Item(null, () -> {
    });

    private final Sink sink;
    private final long lingerNanos;
    private final BlockingQueue<Item> queue = new LinkedBlockingQueue<>();
    private final Thread writer;
    private volatile boolean closed;

    /** A writer that writes an item queued while it is idle at once. */
    TransitionWriter(Sink sink, String threadName) {
        this(sink, threadName, Duration.ZERO);
    }

    /** A writer whose batches wait up to {@code linger} after their first item for more. */
    TransitionWriter(Sink sink, String threadName, Duration linger) {
        this.lingerNanos = Math.max(0, linger.toNanos());
        this.sink = sink;
        this.writer = new Thread(this::run, threadName);
        writer.setDaemon(true);
        writer.start();
    }

    /**
     * Queues {@code transition}; {@code done} runs on the writer thread once it is written (or could not be). After
     * {@link #close} nothing is written any more and {@code done} runs at once.
     */
    void write(JobTransition transition, Runnable done) {
        if (closed) {
            LOG.debugf("job %s: stopping, %s not recorded", transition.id(), kind(transition));
            run(done);
            return;
        }
        queue.add(new Item(transition, done));
    }

    /**
     * Stops taking transitions, writes those already queued and stops the writer, waiting at most {@code patience}
     * (then interrupting it).
     */
    void close(Duration patience) {
        closed = true;
        queue.add(STOP);
        try {
            writer.join(patience.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (writer.isAlive()) {
            LOG.warnf("job outcome writer did not finish within %s; the jobs left are retried when their leases "
                    + "expire", patience);
            writer.interrupt();
        }
    }

    private void run() {
        List<Item> batch = new ArrayList<>(MAX_BATCH);
        boolean stopping = false;
        while (!stopping) {
            try {
                batch.add(queue.take());
            } catch (InterruptedException e) {
                return;
            }
            queue.drainTo(batch, MAX_BATCH - 1);
            boolean interrupted = linger(batch);
            stopping = batch.removeIf(item -> item == STOP) || interrupted;
            // after STOP only items that raced with close remain: write them too rather than drop their callbacks
            if (stopping) {
                queue.drainTo(batch);
            }
            for (int from = 0; from < batch.size(); from += MAX_BATCH) {
                commit(batch.subList(from, Math.min(batch.size(), from + MAX_BATCH)));
            }
            batch.clear();
        }
    }

    /**
     * Adds what arrives within the linger after the batch's first item, until the batch is full or holds
     * {@link #STOP}; true if interrupted meanwhile (the batch is still written, then the writer stops).
     */
    private boolean linger(List<Item> batch) {
        long deadline = System.nanoTime() + lingerNanos;
        while (lingerNanos > 0 && batch.size() < MAX_BATCH && !batch.contains(STOP)) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            try {
                Item next = queue.poll(left, TimeUnit.NANOSECONDS);
                if (next == null) {
                    return false;
                }
                batch.add(next);
                queue.drainTo(batch, MAX_BATCH - batch.size());
            } catch (InterruptedException e) {
                return true;
            }
        }
        return false;
    }

    /** Writes {@code items} as one transaction, or item by item if that fails; then runs their callbacks. */
    private void commit(List<Item> items) {
        try {
            applied(items, sink.write(items.stream().map(Item::transition).toList()));
            items.forEach(item -> run(item.done()));
            return;
        } catch (Exception e) {
            if (items.size() == 1) {
                failed(items.get(0), e);
                run(items.get(0).done());
                return;
            }
            if (unreachable(e)) {
                // every item would wait for a connection again
                LOG.warnf("could not record %d job outcomes, no database connection (%s); their jobs are retried "
                        + "when their leases expire", items.size(), e.getMessage());
                items.forEach(item -> run(item.done()));
                return;
            }
            LOG.warnf("could not record a batch of %d job outcomes (%s); recording them one by one", items.size(),
                    e.getMessage());
        }
        for (Item item : items) {
            try {
                applied(List.of(item), sink.write(List.of(item.transition())));
            } catch (Exception e) {
                failed(item, e);
            } finally {
                run(item.done());
            }
        }
    }

    private static void applied(List<Item> items, boolean[] applied) {
        for (int i = 0; i < items.size(); i++) {
            if (!applied[i]) {
                JobTransition t = items.get(i).transition();
                LOG.debugf("job %s: lease no longer held, %s not recorded", t.id(), kind(t));
            }
        }
    }

    private static void failed(Item item, Exception e) {
        LOG.warnf(e, "could not record an upstream outcome (job %s, %s); the job is retried when its lease expires",
                item.transition().id(), kind(item.transition()));
    }

    /** Whether {@code e} says the database could not be reached at all (no connection), not that an item is bad. */
    static boolean unreachable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLTransientConnectionException || t instanceof SQLNonTransientConnectionException
                    || t instanceof SQLException sql && sql.getSQLState() != null
                            && sql.getSQLState().startsWith("08")) {
                return true;
            }
        }
        return false;
    }

    private static String kind(JobTransition t) {
        return t.getClass().getSimpleName();
    }

    private static void run(Runnable done) {
        try {
            done.run();
        } catch (RuntimeException e) {
            LOG.warnf(e, "job outcome callback failed");
        }
    }
}
