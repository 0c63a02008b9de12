package dev.cli2api.jobs;

import java.util.function.LongSupplier;

/**
 * Keeps the job worker from slowing the API down: it may keep as many jobs in flight as the event loops can take
 * while staying responsive. Every {@link #WINDOW_MS} it reads the loops' average lag; above the target the in-flight
 * limit halves, at or below it grows again by a sixteenth of the maximum (additive increase, multiplicative decrease,
 * as TCP paces itself). When even one job at a time keeps the loops lagging — the API alone is that busy — the worker
 * starts a single job per pause, the pause doubling from {@link #WINDOW_MS} up to {@link #MAX_PAUSE_MS}, so jobs still
 * move, slowly, until the API calms down. A target ≤ 0 turns pacing off: the limit is always the maximum.
 */
final class WorkerPace {

    static final long WINDOW_MS = 100;
    static final long MAX_PAUSE_MS = 1_000;

    private final int maxInFlight;
    private final long targetLagMicros;
    private final LongSupplier averageLagMicros;

    private int limit;
    private long pauseMs;
    /** While lagging at a limit of one: when the next single job may start. */
    private long nextSingleAt;
    private long nextCheckAt;

    /** {@code averageLagMicros}: the loops' average lag since it was last asked. */
    WorkerPace(int maxInFlight, long targetLagMicros, LongSupplier averageLagMicros) {
        this.maxInFlight = maxInFlight;
        this.targetLagMicros = targetLagMicros;
        this.averageLagMicros = averageLagMicros;
        this.limit = maxInFlight;
    }

    /** A pace that never holds the worker back. */
    static WorkerPace unlimited(int maxInFlight) {
        return new WorkerPace(maxInFlight, 0, () -> 0);
    }

    /** How many more jobs may be started at {@code now}, with {@code inFlight} already in flight. */
    synchronized int room(long now, int inFlight) {
        if (targetLagMicros <= 0) {
            return maxInFlight - inFlight;
        }
        if (now >= nextCheckAt) {
            nextCheckAt = now + WINDOW_MS;
            if (averageLagMicros.getAsLong() > targetLagMicros) {
                if (limit > 1) {
                    limit = Math.max(1, limit / 2);
                } else {
                    pauseMs = pauseMs == 0 ? WINDOW_MS : Math.min(pauseMs * 2, MAX_PAUSE_MS);
                }
            } else {
                pauseMs = 0;
                limit = Math.min(maxInFlight, limit + Math.max(1, maxInFlight / 16));
            }
        }
        if (pauseMs == 0) {
            return limit - inFlight;
        }
        if (inFlight > 0 || now < nextSingleAt) {
            return 0;
        }
        nextSingleAt = now + pauseMs;
        return 1;
    }

    /** The in-flight limit as it stands (for tests and the gauge). */
    synchronized int limit() {
        return pauseMs == 0 ? limit : 0;
    }
}
