package dev.cli2api.jobs;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.cli2api.upstream.MuleRunJobs;
import dev.cli2api.upstream.PollOutcome;
import dev.cli2api.upstream.SubmitOutcome;
import dev.cli2api.upstream.VendorError;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;

/**
 * Drives jobs for one worker identity: each {@link #tick} leases due jobs, sends each one's submit or poll upstream
 * without blocking, and writes the outcome on a worker thread. Any number of instances (replicas) may run at once.
 */
final class JobWorker {

    private static final Logger LOG = Logger.getLogger(JobWorker.class);
    static final String UNKNOWN_SUBMISSION = "submission outcome unknown; not resubmitted to avoid a duplicate charge";

    /** The worker's timing: poll backoff, lease, claim size, in-flight bound, and the in-flight age cap. */
    record Settings(Duration pollInterval, Duration pollMaxInterval, Duration lease, int batch, int maxInFlight,
            Duration hardCap) {
    }

    private final JobStore store;
    private final MuleRunJobs upstream;
    private final Settings settings;
    private final String owner;
    private final ObjectMapper json;
    private final LongSupplier clock;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger submitsInFlight = new AtomicInteger();
    private final Executor recorder;

    JobWorker(JobStore store, MuleRunJobs upstream, Settings settings, String owner, ObjectMapper json,
            LongSupplier clock) {
        this(store, upstream, settings, owner, json, clock, Infrastructure.getDefaultWorkerPool());
    }

    /**
     * {@code recorder} runs the database writes of upstream outcomes; a small pool there keeps a draining backlog
     * from taking every pooled connection away from the API's reads.
     */
    JobWorker(JobStore store, MuleRunJobs upstream, Settings settings, String owner, ObjectMapper json,
            LongSupplier clock, Executor recorder) {
        this.recorder = recorder;
        this.store = store;
        this.upstream = upstream;
        this.settings = settings;
        this.owner = owner;
        this.json = json;
        this.clock = clock;
    }

    String owner() {
        return owner;
    }

    /** Upstream calls this worker has started and not yet recorded. */
    int inFlight() {
        return inFlight.get();
    }

    /** Submits this worker has sent and not yet recorded: their answer decides whether the job was accepted. */
    int submitsInFlight() {
        return submitsInFlight.get();
    }

    /** Claims what is due and starts working on it; returns how many jobs were claimed. */
    int tick() {
        int room = settings.maxInFlight() - inFlight.get();
        if (room <= 0) {
            return 0;
        }
        long now = clock.getAsLong();
        List<Job> claimed = store.claim(owner, now, now + settings.lease().toMillis(), Math.min(room,
                settings.batch()));
        for (Job job : claimed) {
            inFlight.incrementAndGet();
            try {
                if (!advance(job, now)) {
                    finished();
                }
            } catch (RuntimeException e) {
                finished();
                LOG.warnf(e, "job %s: could not advance", job.id);
            }
        }
        return claimed.size();
    }

    /** Starts the job's next step; true when an upstream call is now in flight. */
    private boolean advance(Job job, long now) {
        long startedMs = job.submittedAt > 0 ? job.submittedAt : job.createdAt * 1000;
        if (now - startedMs > settings.hardCap().toMillis()) {
            fail(job, 0, "job did not finish within " + settings.hardCap() + "; given up");
            return false;
        }
        if (job.submitState.equals("submitting")) {
            // the previous owner's lease expired mid-submit: MuleRun may have accepted (and charged) it
            fail(job, 0, UNKNOWN_SUBMISSION);
            return false;
        }
        if (job.submitState.equals("pending")) {
            ObjectNode body = parse(job.requestBody);
            if (!store.markSubmitting(job.id, owner, now)) {
                return false;
            }
            Uni<SubmitOutcome> submit = upstream.submit(job.vendorPath, body);
            submitsInFlight.incrementAndGet();
            whenDone(submit, outcome -> recordSubmit(job, outcome), submitsInFlight::decrementAndGet);
            return true;
        }
        whenDone(upstream.poll(job.vendorPath, job.vendorTaskId), outcome -> recordPoll(job, outcome), () -> {
        });
        return true;
    }

    private ObjectNode parse(String requestBody) {
        try {
            return (ObjectNode) json.readTree(requestBody);
        } catch (Exception e) {
            throw new IllegalStateException("stored request body is not a JSON object", e);
        }
    }

    /** Records the call's outcome on a recorder thread, then runs {@code after}, whatever happened. */
    private <T> void whenDone(Uni<T> call, Consumer<T> record, Runnable after) {
        call.emitOn(recorder).subscribe().with(outcome -> {
            try {
                record.accept(outcome);
            } catch (RuntimeException e) {
                LOG.warnf(e, "could not record an upstream outcome; the job is retried when its lease expires");
            } finally {
                after.run();
                finished();
            }
        }, failure -> {
            after.run();
            finished();
            LOG.warnf(failure, "upstream call failed unexpectedly; the job is retried when its lease expires");
        });
    }

    private void recordSubmit(Job job, SubmitOutcome outcome) {
        long now = clock.getAsLong();
        if (outcome instanceof SubmitOutcome.Accepted accepted) {
            LOG.debugf("job %s submitted as task %s", job.id, accepted.taskId());
            store.submitted(job.id, owner, accepted.taskId(), now, settings.pollInterval().toMillis());
        } else if (outcome instanceof SubmitOutcome.Rejected rejected) {
            String message = "upstream submit failed: " + rejected.message();
            if (rejected.httpStatus() == 429 || rejected.httpStatus() >= 500) {
                retry(job, message, now);
            } else {
                fail(job, rejected.vendorError().map(VendorError::code).orElse(rejected.httpStatus()), message);
            }
        } else if (outcome instanceof SubmitOutcome.Unreachable unreachable) {
            if (unreachable.connectionRefused()) {
                retry(job, "upstream submit failed: " + unreachable.message(), now);
            } else {
                fail(job, 0, UNKNOWN_SUBMISSION + " (" + unreachable.message() + ")");
            }
        }
    }

    private void retry(Job job, String error, long now) {
        LOG.debugf("job %s: submit not accepted, retrying: %s", job.id, error);
        store.retrySubmit(job.id, owner, error, now + settings.pollMaxInterval().toMillis(), now);
    }

    private void recordPoll(Job job, PollOutcome outcome) {
        long now = clock.getAsLong();
        long next = nextInterval(job.pollIntervalMs);
        if (outcome instanceof PollOutcome.Running running) {
            boolean started = running.status().equals("processing") || running.status().equals("running");
            store.progressed(job.id, owner, started ? "in_progress" : "queued", running.status(), next, now);
        } else if (outcome instanceof PollOutcome.Succeeded succeeded) {
            JsonNode urls = succeeded.body().path(job.kind.resultField());
            store.completed(job.id, owner, urls.isArray() ? urls.toString() : "[]", now);
            LOG.debugf("job %s completed", job.id);
        } else if (outcome instanceof PollOutcome.Failed failed) {
            fail(job, failed.error().code(), failed.error().message());
        } else if (outcome instanceof PollOutcome.Transient transientError) {
            store.pollFailed(job.id, owner, transientError.message(), next, now);
        }
    }

    /** The spec's backoff: ×1.5 per poll, from the poll interval up to the maximum. */
    private long nextInterval(long current) {
        long base = Math.max(current, settings.pollInterval().toMillis());
        return Math.min(base + base / 2, settings.pollMaxInterval().toMillis());
    }

    private void fail(Job job, int code, String message) {
        LOG.infof("job %s failed: %s", job.id, message);
        store.failed(job.id, owner, code, message, clock.getAsLong());
    }

    private void finished() {
        inFlight.decrementAndGet();
    }
}
