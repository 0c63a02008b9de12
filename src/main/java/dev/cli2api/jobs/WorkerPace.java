package dev.cli2api.jobs;

/**
 * The worker's call rate: at most {@code perSecond} jobs started (each one upstream call: a submit or a poll) per
 * second, handed out in small, even steps rather than in bursts. A token bucket that holds two {@link #STEP_MS} steps'
 * worth of calls (at least one step of one call): a worker that used it up waits until a step's worth has come back,
 * so a backlog is worked off as a steady trickle of small claims — their callbacks never pile up on the event loops
 * that serve the API, and the upstream sees an even rate. The second step's room keeps the rate when the waiting
 * thread wakes late (on a busy machine, by milliseconds), instead of losing the calls that came back meanwhile. A
 * rate ≤ 0 means unlimited.
 */
final class WorkerPace {

    /** The step in which calls are handed out. */
    static final long STEP_MS = 10;
    /** How many steps' worth the bucket holds. */
    static final int STEPS_HELD = 2;

    private final double perMs;
    private final double capacity;
    /** Whole calls per step (at least one): what a worker that ran out waits for. */
    private final int step;
    private double tokens;
    private long refilledAt;

    /** A pace of {@code perSecond} calls a second (≤ 0: unlimited), with a full bucket at {@code now}. */
    WorkerPace(int perSecond, long now) {
        this.perMs = Math.max(0, perSecond) / 1000.0;
        this.step = (int) Math.max(1, perMs * STEP_MS);
        this.capacity = Math.max(step, perMs * STEP_MS) * STEPS_HELD;
        this.tokens = capacity;
        this.refilledAt = now;
    }

    /** A pace that never holds the worker back. */
    static WorkerPace unlimited() {
        return new WorkerPace(0, 0);
    }

    boolean limited() {
        return perMs > 0;
    }

    /** How many jobs may be started at {@code now} ({@link Integer#MAX_VALUE} when unlimited). */
    synchronized int available(long now) {
        if (!limited()) {
            return Integer.MAX_VALUE;
        }
        refill(now);
        return (int) (tokens + 1e-9);
    }

    /** Records that {@code started} jobs were started. */
    synchronized void took(int started) {
        if (limited()) {
            tokens = Math.max(0, tokens - started);
        }
    }

    /** Milliseconds from {@code now} until a step's worth of calls is available (0 when it is, or when unlimited). */
    synchronized long msUntilStep(long now) {
        if (!limited()) {
            return 0;
        }
        refill(now);
        return tokens + 1e-9 >= step ? 0 : (long) Math.ceil((step - tokens) / perMs - 1e-9);
    }

    private void refill(long now) {
        if (now > refilledAt) {
            tokens = Math.min(capacity, tokens + (now - refilledAt) * perMs);
            refilledAt = now;
        }
    }
}
