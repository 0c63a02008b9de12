package dev.cli2api.jobs;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
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
 * Drives jobs for one worker identity: each {@link #tick} leases due jobs, marks the pending ones {@code submitting}
 * in one statement, sends each job's submit or poll upstream without blocking, and writes the outcome on a worker
 * thread. Any number of instances (replicas) may run at once.
 */
final class JobWorker {

    private static final Logger LOG = Logger.getLogger(JobWorker.class);
    static final String UNKNOWN_SUBMISSION = "submission outcome unknown; not resubmitted to avoid a duplicate charge";

    /** The worker's timing: poll backoff, lease, claim size, in-flight bound, and the in-flight age cap. */
    record Settings(Duration pollInterval, Duration pollMaxInterval, Duration lease, int batch, int maxInFlight,
            Duration hardCap) {
    }

    /** A claimed pending job and the body to submit once it is marked {@code submitting}. */
    private record Submit(Job job, ObjectNode body) {
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
        List<Submit> submits = new ArrayList<>();
        for (Job job : claimed) {
            inFlight.incrementAndGet();
            try {
                if (!advance(job, now, submits)) {
                    finished();
                }
            } catch (RuntimeException e) {
                finished();
                LOG.warnf(e, "job %s: could not advance", job.id);
            }
        }
        submit(submits, now);
        return claimed.size();
    }

    /**
     * Starts the job's next step, or adds it to {@code submits} when that is a submit; true when an upstream call is
     * now in flight or the job was added.
     */
    private boolean advance(Job job, long now, List<Submit> submits) {
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
            submits.add(new Submit(job, parse(job.requestBody)));
            return true;
        }
        whenDone(upstream.poll(job.vendorPath, job.vendorTaskId), outcome -> recordPoll(job, outcome), () -> {
        });
        return true;
    }

    /**
     * Marks the tick's pending jobs {@code submitting} in one statement, committed before any of their submits is
     * sent, then submits the ones it marked (a job it did not mark lost its lease or is no longer pending).
     */
    private void submit(List<Submit> submits, long now) {
        if (submits.isEmpty()) {
            return;
        }
        Set<String> marked;
        try {
            marked = store.markSubmitting(submits.stream().map(submit -> submit.job().id).toList(), owner, now);
        } catch (RuntimeException e) {
            submits.forEach(submit -> finished());
            LOG.warnf(e, "could not mark %d job(s) submitting; they are retried when their leases expire",
                    submits.size());
            return;
        }
        for (Submit submit : submits) {
            Job job = submit.job();
            if (!marked.contains(job.id)) {
                finished();
                continue;
            }
            try {
                Uni<SubmitOutcome> call = upstream.submit(job.vendorPath, submit.body());
                submitsInFlight.incrementAndGet();
                whenDone(call, outcome -> recordSubmit(job, outcome), submitsInFlight::decrementAndGet);
            } catch (RuntimeException e) {
                finished();
                LOG.warnf(e, "job %s: could not submit", job.id);
            }
        }
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
