package dev.cli2api.jobs;

import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * The worker's upstream calls that failed without deciding their job: submits refused with 429, a 5xx or a refused
 * connection (tried again), and polls that got a transient error (the job keeps its status and is polled again). Such
 * a job stays {@code queued} or {@code in_progress} with nothing in the log at the default level; with a revoked
 * token every poll fails this way until the hard cap. This counts them (for metrics) and says when to tell the
 * operator: at the first failure, then at most once per {@link #REPORT_EVERY_MS} while they go on, with the counts
 * since the last report and the last error.
 */
final class TransientFailures {

    static final long REPORT_EVERY_MS = 60_000;

    /** Which call failed. */
    enum Call {
        SUBMIT, POLL
    }

    private final LongSupplier clock;
    private final LongAdder submits = new LongAdder();
    private final LongAdder polls = new LongAdder();
    private long reportedAt = Long.MIN_VALUE;
    private long sinceSubmits;
    private long sincePolls;

    TransientFailures(LongSupplier clock) {
        this.clock = clock;
    }

    /**
     * Counts a failed {@code call} of job {@code jobId}; the WARN to log now, if it is time for one: the first failure,
     * or the first one at least {@link #REPORT_EVERY_MS} after the last report.
     */
    synchronized Optional<String> failed(Call call, String jobId, String error) {
        (call == Call.SUBMIT ? submits : polls).increment();
        if (call == Call.SUBMIT) {
            sinceSubmits++;
        } else {
            sincePolls++;
        }
        long now = clock.getAsLong();
        if (reportedAt != Long.MIN_VALUE && now - reportedAt < REPORT_EVERY_MS) {
            return Optional.empty();
        }
        String since = reportedAt == Long.MIN_VALUE ? "" : " in the last " + (now - reportedAt) / 1000 + "s";
        String report = String.format("job worker: upstream calls are failing and will be retried: %d submit(s) "
                + "refused and %d poll(s) failed%s; last: job %s: %s", sinceSubmits, sincePolls, since, jobId, error);
        reportedAt = now;
        sinceSubmits = 0;
        sincePolls = 0;
        return Optional.of(report);
    }

    /** How many {@code call}s failed so far. */
    long count(Call call) {
        return (call == Call.SUBMIT ? submits : polls).sum();
    }
}
