package dev.cli2api.generation;

import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.cli2api.api.ApiException;
import dev.cli2api.config.Cli2ApiConfig;
import dev.cli2api.upstream.MuleRunJobs;
import dev.cli2api.upstream.PollOutcome;
import dev.cli2api.upstream.SubmitOutcome;
import io.smallrye.mutiny.TimeoutException;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The synchronous wrapper's wait (spec §2.5): submit a job, then poll it on Vert.x timers with ×1.5 backoff under
 * one deadline, without holding a thread; ends with the completed task body or a 502 {@link ApiException}.
 */
@ApplicationScoped
public class SubmitAndWait {

    static final String TIMEOUT = "job did not complete before timeout";
    static final int MAX_CONSECUTIVE_ERRORS = 6;

    private final MuleRunJobs jobs;
    private final Cli2ApiConfig config;
    private final Vertx vertx;

    public SubmitAndWait(MuleRunJobs jobs, Cli2ApiConfig config, Vertx vertx) {
        this.jobs = jobs;
        this.config = config;
        this.vertx = vertx;
    }

    /**
     * Submits {@code body} to {@code vendorPath} and waits for the task. Fails with 502 {@code upstream_error}
     * ({@code upstream: <err>}) for submit, poll and timeout errors, and 502 {@code vendor_error} when the task ended
     * with a vendor error. Cancelling the returned {@code Uni} stops the wait.
     */
    public Uni<JsonNode> run(String vendorPath, ObjectNode body) {
        return Uni.createFrom().deferred(() -> {
            Duration timeout = config.image().timeout();
            if (timeout.isNegative() || timeout.isZero()) {
                // a deadline already past (CLI2API_IMAGE_TIMEOUT=0 or negative, which the spec allows) fails before
                // anything is sent, as the reference's expired context does: the submit would be paid for in vain
                return Uni.createFrom().failure(upstream(TIMEOUT));
            }
            long deadline = System.nanoTime() + timeout.toNanos();
            Uni<SubmitOutcome> submitted = jobs.submit(vendorPath, body)
                    .ifNoItem().after(remaining(deadline)).fail();
            return submitted
                    // the submit may have made a task before the deadline passed
                    .onFailure(TimeoutException.class).transform(e -> upstream(TIMEOUT).notWorthRetrying())
                    .flatMap(outcome -> afterSubmit(vendorPath, outcome, deadline));
        });
    }

    private Uni<JsonNode> afterSubmit(String vendorPath, SubmitOutcome outcome, long deadline) {
        if (outcome instanceof SubmitOutcome.Accepted accepted) {
            // the task exists upstream and is paid for: whatever ends the wait, a retry would pay for another
            return new Wait(vendorPath, accepted.taskId(), deadline).next(config.poll().interval(), 0, null)
                    .onFailure(ApiException.class).transform(e -> ((ApiException) e).notWorthRetrying());
        }
        if (outcome instanceof SubmitOutcome.Rejected rejected) {
            ApiException error = upstream(rejected.message());
            return Uni.createFrom().failure(settled(rejected.httpStatus()) ? error.notWorthRetrying() : error);
        }
        return Uni.createFrom().failure(upstream(((SubmitOutcome.Unreachable) outcome).message()));
    }

    /**
     * Whether a submit answered {@code status} would be answered the same again (402 out of credit, 400 refused,
     * 401 after the credential's refresh) or may already have made a task (a 2xx without a task id): not a 408, 409,
     * 425, 429 or 5xx, which a later attempt may get past.
     */
    static boolean settled(int status) {
        return status < 500 && status != 408 && status != 409 && status != 425 && status != 429;
    }

    /** Time left before {@code deadline}, at least 1 ms (the smallest Vert.x timer). */
    private static Duration remaining(long deadline) {
        return Duration.ofNanos(Math.max(1_000_000, deadline - System.nanoTime()));
    }

    private static ApiException upstream(String message) {
        return ApiException.upstream("upstream: " + message);
    }

    /** The poll loop of one task. */
    private final class Wait {

        private final String vendorPath;
        private final String taskId;
        private final long deadline;

        Wait(String vendorPath, String taskId, long deadline) {
            this.vendorPath = vendorPath;
            this.taskId = taskId;
            this.deadline = deadline;
        }

        /** Sleeps {@code wait} (or until the deadline), polls, and decides. */
        Uni<JsonNode> next(Duration wait, int consecutiveErrors, String lastError) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return timedOut(lastError);
            }
            if (wait.toNanos() >= left) {
                return sleep(Duration.ofNanos(left)).flatMap(ignored -> timedOut(lastError));
            }
            Duration following = backoff(wait);
            return sleep(wait)
                    .flatMap(ignored -> jobs.poll(vendorPath, taskId).ifNoItem().after(remaining(deadline)).fail())
                    .onFailure(TimeoutException.class).transform(e -> upstream(TIMEOUT))
                    .flatMap(outcome -> afterPoll(outcome, following, consecutiveErrors));
        }

        private Uni<JsonNode> afterPoll(PollOutcome outcome, Duration following, int consecutiveErrors) {
            if (outcome instanceof PollOutcome.Succeeded succeeded) {
                return Uni.createFrom().item(succeeded.body());
            }
            if (outcome instanceof PollOutcome.Failed failed) {
                return Uni.createFrom().failure(new ApiException(502, "vendor_error", failed.error().message()));
            }
            if (outcome instanceof PollOutcome.Transient error) {
                if (consecutiveErrors + 1 >= MAX_CONSECUTIVE_ERRORS) {
                    return Uni.createFrom().failure(upstream("upstream unreachable after " + MAX_CONSECUTIVE_ERRORS
                            + " consecutive poll errors: " + error.message()));
                }
                return next(following, consecutiveErrors + 1, error.message());
            }
            return next(following, 0, null);
        }

        private Duration backoff(Duration wait) {
            Duration grown = Duration.ofNanos((long) (wait.toNanos() * 1.5));
            Duration max = config.poll().maxInterval();
            return grown.compareTo(max) > 0 ? max : grown;
        }

        private Uni<JsonNode> timedOut(String lastError) {
            return Uni.createFrom().failure(
                    upstream(lastError == null ? TIMEOUT : TIMEOUT + " (last poll error: " + lastError + ")"));
        }
    }

    /** Completes after {@code delay} on a Vert.x timer; cancelling cancels the timer. */
    private Uni<Void> sleep(Duration delay) {
        return Uni.createFrom().emitter(emitter -> {
            long timer = vertx.setTimer(Math.max(1, delay.toMillis()), id -> emitter.complete(null));
            emitter.onTermination(() -> vertx.cancelTimer(timer));
        });
    }
}
