package dev.cli2api.jobs;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

import org.jboss.logging.Logger;

import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.impl.ContextInternal;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgConnection;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;

/**
 * Reads rows by key for one event loop, coalescing what arrives together into one query: while a query is in flight,
 * the keys asked for meanwhile queue up, and the next query fetches all of them at once ({@code … = ANY($1)}). An idle
 * loop's read goes out at once, alone; a busy loop's reads go out as one statement per database round trip instead of
 * one each, which is what makes a storm of SDK polls cheap for PostgreSQL and for this process alike.
 *
 * <p>
 * Everything here runs on the one event-loop thread of {@code home}: it owns one connection (opened on first use and
 * again after it is lost) and at most one query at a time, so there are no locks and no thread hand-offs. A query that
 * does not answer within the timeout fails its readers and its connection is dropped, so a stuck database never
 * leaves a GET hanging; a query whose connection turns out to be closed (dropped while it idled) is repeated once on a
 * new one, as reads are safe to repeat.
 */
final class ReadBatcher<T> {

    private static final Logger LOG = Logger.getLogger(ReadBatcher.class);

    private record Reader<T>(String key, Promise<Optional<T>> answer) {
    }

    private final Vertx vertx;
    private final ContextInternal home;
    private final PgConnectOptions options;
    /** Selects the rows whose key column (the first) is in {@code $1}, a {@code text[]}. */
    private final String sql;
    private final Function<Row, T> mapper;
    private final int maxBatch;
    private final long timeoutMillis;

    private final ArrayDeque<Reader<T>> waiting = new ArrayDeque<>();
    private PgConnection connection;
    /** Connecting, or a query in flight: new readers wait for the next batch. */
    private boolean busy;
    private boolean closed;
    private long queries;

    ReadBatcher(Vertx vertx, ContextInternal home, PgConnectOptions options, String sql, Function<Row, T> mapper,
            int maxBatch, long timeoutMillis) {
        this.vertx = vertx;
        this.home = home;
        this.options = options;
        this.sql = sql;
        this.mapper = mapper;
        this.maxBatch = maxBatch;
        this.timeoutMillis = timeoutMillis;
    }

    /** Reads the row of {@code key} into {@code answer} (empty when there is none). Only on {@code home}'s thread. */
    void read(String key, Promise<Optional<T>> answer) {
        if (closed) {
            answer.fail(shutDown());
            return;
        }
        waiting.add(new Reader<>(key, answer));
        if (!busy) {
            next();
        }
    }

    /** Fails whoever waits and closes the connection; later reads fail at once. */
    void close() {
        home.runOnContext(ignored -> {
            closed = true;
            failAll(new ArrayList<>(waiting), shutDown());
            waiting.clear();
            if (connection != null) {
                connection.close();
                connection = null;
            }
        });
    }

    private void next() {
        if (waiting.isEmpty() || closed) {
            return;
        }
        busy = true;
        List<Reader<T>> batch = new ArrayList<>(Math.min(waiting.size(), maxBatch));
        while (!waiting.isEmpty() && batch.size() < maxBatch) {
            batch.add(waiting.poll());
        }
        send(batch, false);
    }

    /** Queries {@code batch}, opening a connection first when there is none; {@code retried}: it lost one already. */
    private void send(List<Reader<T>> batch, boolean retried) {
        if (connection != null) {
            query(connection, batch, retried);
            return;
        }
        // opened from the loop's own (root) context, so the connection lives on this thread and not on the context
        // of whichever request happened to need it first
        home.emit(null, ignored -> PgConnection.connect(vertx, options).onComplete(opened -> {
            if (opened.failed()) {
                // whoever waits meanwhile would only wait for the same failure
                batch.addAll(waiting);
                waiting.clear();
                done(batch, opened.cause());
                return;
            }
            PgConnection opening = opened.result();
            if (closed) {
                opening.close();
                done(batch, shutDown());
                return;
            }
            connection = opening;
            opening.closeHandler(closedEvent -> {
                if (connection == opening) {
                    connection = null;
                }
            });
            opening.exceptionHandler(e -> LOG.debugf("job read connection: %s", e.getMessage()));
            query(opening, batch, retried);
        }));
    }

    private void query(PgConnection used, List<Reader<T>> batch, boolean retried) {
        Set<String> keys = new LinkedHashSet<>();
        for (Reader<T> reader : batch) {
            keys.add(reader.key());
        }
        boolean[] settled = { false };
        long timer = vertx.setTimer(timeoutMillis, fired -> {
            if (!settled[0]) {
                settled[0] = true;
                // the answer may still come on this connection, out of step with the next query: start afresh
                drop(used);
                done(batch, new TimeoutException("job read timed out after " + timeoutMillis + " ms"));
            }
        });
        queries++;
        used.preparedQuery(sql).execute(Tuple.of(keys.toArray(new String[0]))).onComplete(result -> {
            if (settled[0]) {
                return;
            }
            settled[0] = true;
            vertx.cancelTimer(timer);
            if (result.succeeded()) {
                answerAll(batch, result.result());
                idle();
            } else if (connectionLost(result.cause()) && !retried && !closed) {
                // the database or a proxy dropped the connection while it idled: a read is safe to repeat, once
                drop(used);
                send(batch, true);
            } else {
                done(batch, result.cause());
            }
        });
    }

    /**
     * Whether a query failed because its connection is gone: closed under it, reset by the peer while the query was
     * written (an I/O error), or ended by the server (SQLSTATE class 08, connection exception, or 57P, e.g.
     * {@code pg_terminate_backend} or a restart), whose error can arrive just before the close.
     */
    static boolean connectionLost(Throwable failure) {
        if (failure instanceof ClosedConnectionException || failure instanceof IOException) {
            return true;
        }
        return failure instanceof PgException pg && pg.getSqlState() != null
                && (pg.getSqlState().startsWith("08") || pg.getSqlState().startsWith("57P"));
    }

    /** Fails {@code failed} with {@code cause}, then sends whatever waits. */
    private void done(List<Reader<T>> failed, Throwable cause) {
        failAll(failed, cause);
        idle();
    }

    /** The query (or connect) is over: sends whatever waits. */
    private void idle() {
        busy = false;
        next();
    }

    private void drop(PgConnection used) {
        if (connection == used) {
            connection = null;
        }
        used.close();
    }

    /** How many queries this batcher has sent (for tests: fewer than the reads when they were coalesced). */
    long queries() {
        return queries;
    }

    private void answerAll(List<Reader<T>> batch, RowSet<Row> rows) {
        Map<String, Row> byKey = new HashMap<>();
        for (Row row : rows) {
            byKey.put(row.getString(0), row);
        }
        for (Reader<T> reader : batch) {
            Row row = byKey.get(reader.key());
            try {
                // one object per reader: callers may hold on to what they got
                reader.answer().complete(row == null ? Optional.empty() : Optional.of(mapper.apply(row)));
            } catch (RuntimeException e) {
                reader.answer().tryFail(e);
            }
        }
    }

    /** The failure of a read after {@link #close}. */
    static IllegalStateException shutDown() {
        return new IllegalStateException("the job read path is shut down");
    }

    private static <T> void failAll(List<Reader<T>> readers, Throwable cause) {
        for (Reader<T> reader : readers) {
            reader.answer().tryFail(cause);
        }
    }
}
