package dev.cli2api.jobs;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;

import dev.cli2api.config.GoDurations;
import dev.cli2api.upstream.MuleRunJobs;
import dev.cli2api.upstream.PollOutcome;
import dev.cli2api.upstream.SubmitOutcome;
import dev.cli2api.upstream.VendorError;
import io.smallrye.mutiny.Uni;

/**
 * Drives jobs for one worker identity: each {@link #tick} leases due jobs, marks the pending ones {@code submitting}
 * in one statement, sends each job's submit or poll upstream without blocking, and hands each outcome to a
 * {@link TransitionWriter}, which records the outcomes of many calls in one transaction. Any number of instances
 * (replicas) may run at once.
 */
final class JobWorker {

    private static final Logger LOG = Logger.getLogger(JobWorker.class);
    static final String UNKNOWN_SUBMISSION = "submission outcome unknown; not resubmitted to avoid a duplicate charge";
    private static final Runnable NOTHING = () -> {
    };

    /**
     * The worker's timing: poll backoff, lease, claim size, in-flight bound, the in-flight age cap, and how many bytes
     * of request bodies its submits may hold at once ({@link JobStore#claim}: one body larger than that is still
     * submitted, alone).
     */
    record Settings(Duration pollInterval, Duration pollMaxInterval, Duration lease, int batch, int maxInFlight,
            Duration hardCap, long submitBodyBudget) {
    }

    /** A claimed pending job, the body to submit once it is marked {@code submitting}, and that body's length. */
    private record Submit(Job job, byte[] body, long bytes) {
    }

    private final JobStore store;
    private final MuleRunJobs upstream;
    private final Settings settings;
    private final String owner;
    private final LongSupplier clock;
    private final TransientFailures transientFailures;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger submitsInFlight = new AtomicInteger();
    /** Characters of request bodies held by claimed submits until their outcome is recorded (or cannot be). */
    private final AtomicLong submitBodies = new AtomicLong();
    /** Set when a tick found no room left; the next outcome that frees half the room wakes the worker up. */
    private final AtomicBoolean backlogged = new AtomicBoolean();
    private volatile Runnable wakeUp = NOTHING;
    private volatile LongConsumer wakeAfter = ms -> {
    };
    private volatile WorkerPace pace = WorkerPace.unlimited();
    private volatile Executor calls = Runnable::run;
    private final TransitionWriter writer;

    /**
     * {@code writer} records the outcomes; a job counts as in flight from its claim until its outcome is recorded (or
     * could not be), so at most {@link Settings#maxInFlight} outcomes wait for the writer.
     */
    JobWorker(JobStore store, MuleRunJobs upstream, Settings settings, String owner, LongSupplier clock,
            TransitionWriter writer) {
        this.writer = writer;
        this.store = store;
        this.upstream = upstream;
        this.settings = settings;
        this.owner = owner;
        this.clock = clock;
        this.transientFailures = new TransientFailures(clock);
    }

    /** The upstream calls that failed without deciding their job, counted (see {@link TransientFailures}). */
    long transientFailures(TransientFailures.Call call) {
        return transientFailures.count(call);
    }

    /** Starts jobs no faster than {@code pace} allows (unlimited until this is called). */
    void pace(WorkerPace pace) {
        this.pace = pace;
    }

    /**
     * Starts the upstream calls on {@code executor}, so that their answers arrive there too (see
     * {@link WorkerEventLoop}); until this is called they start on the thread that claimed the job.
     */
    void callsOn(Executor executor) {
        this.calls = executor;
    }

    String owner() {
        return owner;
    }

    /** Jobs this worker has claimed and not yet recorded an outcome for. */
    int inFlight() {
        return inFlight.get();
    }

    /** Submits this worker has sent and not yet recorded: their answer decides whether the job was accepted. */
    int submitsInFlight() {
        return submitsInFlight.get();
    }

    /**
     * Runs {@code wakeUp} (which should start a {@link #tick} soon) when a tick ran out of room for due jobs and half
     * of that room has come free again: a backlog drains at the in-flight bound rather than one batch per interval.
     */
    void onRoom(Runnable wakeUp) {
        this.wakeUp = wakeUp;
    }

    /**
     * Calls {@code wakeAfter} with a delay in milliseconds (after which it should start a {@link #tick}) when a tick
     * stopped at the {@link WorkerPace call rate} with due jobs left: a backlog is worked off in even steps of the
     * rate rather than in one burst per interval.
     */
    void onRateWait(LongConsumer wakeAfter) {
        this.wakeAfter = wakeAfter;
    }

    /**
     * Claims what is due, a batch at a time while full batches come back and both the in-flight bound and the call
     * rate ({@link WorkerPace}) leave room, and starts working on it; returns how many jobs were claimed. At a limited
     * rate a claim waits until the rate has a whole step's worth of calls, so a backlog is claimed a step at a time.
     */
    int tick() {
        int total = 0;
        while (true) {
            int room = settings.maxInFlight() - inFlight.get();
            if (room <= 0) {
                backlogged.set(true);
                return total;
            }
            long now = clock.getAsLong();
            // a whole step or nothing: claiming the few calls that came back while the last claim ran would make
            // each claim (a scan of the due jobs) start only a job or two
            long wait = pace.msUntilStep(now);
            if (wait > 0) {
                wakeAfter.accept(wait);
                return total;
            }
            int limit = Math.min(Math.min(room, pace.available(now)), settings.batch());
            int claimed = claim(limit);
            pace.took(claimed);
            total += claimed;
            if (claimed < limit) {
                return total;
            }
        }
    }

    /** One claim of at most {@code limit} due jobs, each started; returns how many were claimed. */
    private int claim(int limit) {
        long now = clock.getAsLong();
        // one submit goes whatever its size while none is in flight (claims run on one thread, so every submit of an
        // earlier claim is counted by now), also should an error ever have left bytes counted that nothing holds
        List<Job> claimed = store.claim(owner, now, now + settings.lease().toMillis(), limit,
                Math.max(0, settings.submitBodyBudget() - submitBodies.get()), submitsInFlight.get() == 0);
        List<Submit> submits = new ArrayList<>();
        for (Job job : claimed) {
            inFlight.incrementAndGet();
            try {
                advance(job, now, submits);
            } catch (RuntimeException e) {
                finished();
                LOG.warnf(e, "job %s: could not advance", job.id);
            }
        }
        submit(submits, now);
        return claimed.size();
    }

    /** Starts the job's next step, or adds it to {@code submits} when that is a submit. */
    private void advance(Job job, long now, List<Submit> submits) {
        long startedMs = job.submittedAt > 0 ? job.submittedAt : job.createdAt * 1000;
        if (now - startedMs > settings.hardCap().toMillis()) {
            record(failure(job, 0, "job did not finish within " + GoDurations.format(settings.hardCap())
                    + "; given up"), NOTHING);
        } else if (job.submitState.equals("submitting")) {
            // the previous owner's lease expired mid-submit: MuleRun may have accepted (and charged) it
            record(failure(job, 0, UNKNOWN_SUBMISSION), NOTHING);
        } else if (job.submitState.equals("pending")) {
            Submit submit = new Submit(job, submittable(job.requestBody), job.requestBody.length());
            job.requestBody = null; // the bytes are what is sent; one copy of a large body is enough
            submitBodies.addAndGet(submit.bytes());
            submits.add(submit);
        } else {
            whenDone(upstream.poll(job.vendorPath, job.vendorTaskId), outcome -> pollTransition(job, outcome), NOTHING);
        }
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
            submits.forEach(submit -> {
                submitBodies.addAndGet(-submit.bytes());
                finished();
            });
            LOG.warnf(e, "could not mark %d job(s) submitting; they are retried when their leases expire",
                    submits.size());
            return;
        }
        for (Submit submit : submits) {
            Job job = submit.job();
            if (!marked.contains(job.id)) {
                submitBodies.addAndGet(-submit.bytes());
                finished();
                continue;
            }
            try {
                Uni<SubmitOutcome> call = upstream.submit(job.vendorPath, submit.body());
                submitsInFlight.incrementAndGet();
                whenDone(call, outcome -> submitTransition(job, outcome), () -> {
                    submitsInFlight.decrementAndGet();
                    submitBodies.addAndGet(-submit.bytes());
                });
            } catch (RuntimeException e) {
                submitBodies.addAndGet(-submit.bytes());
                finished();
                LOG.warnf(e, "job %s: could not submit", job.id);
            }
        }
    }

    /**
     * The stored body as the bytes to send: PostgreSQL's text of the jsonb object, sent as it is. Parsing it and
     * writing it again cost five times a large body's size in transient heap each way (a 60 MB data URI ran a
     * 512 MiB heap out of memory); the {@code jsonb} column already guarantees well-formed JSON.
     */
    private static byte[] submittable(String requestBody) {
        if (!requestBody.stripLeading().startsWith("{")) {
            throw new IllegalStateException("stored request body is not a JSON object");
        }
        return requestBody.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Turns the call's outcome into a transition (on the thread that delivers it) and queues it for the writer; once
     * written, or if it cannot be, runs {@code after} and ends the job's turn in flight.
     */
    private <T> void whenDone(Uni<T> call, Function<T, JobTransition> transition, Runnable after) {
        try {
            calls.execute(() -> subscribe(call, transition, after));
        } catch (RejectedExecutionException stopping) {
            done(after);
            LOG.warn("the worker's event loop is closed; the job is retried when its lease expires");
        }
    }

    private <T> void subscribe(Uni<T> call, Function<T, JobTransition> transition, Runnable after) {
        call.subscribe().with(outcome -> {
            JobTransition recorded;
            try {
                recorded = transition.apply(outcome);
            } catch (RuntimeException e) {
                done(after);
                LOG.warnf(e, "could not record an upstream outcome; the job is retried when its lease expires");
                return;
            }
            record(recorded, after);
        }, failure -> {
            done(after);
            LOG.warnf(failure, "upstream call failed unexpectedly; the job is retried when its lease expires");
        });
    }

    /** Queues {@code transition}; once written (or not), runs {@code after} and ends the job's turn in flight. */
    private void record(JobTransition transition, Runnable after) {
        writer.write(transition, () -> done(after));
    }

    /** Runs {@code after} and ends the job's turn in flight. */
    private void done(Runnable after) {
        after.run();
        finished();
    }

    private JobTransition submitTransition(Job job, SubmitOutcome outcome) {
        long now = clock.getAsLong();
        if (outcome instanceof SubmitOutcome.Accepted accepted) {
            LOG.debugf("job %s submitted as task %s", job.id, accepted.taskId());
            return new JobTransition.Submitted(job.id, owner, accepted.taskId(), now,
                    settings.pollInterval().toMillis());
        } else if (outcome instanceof SubmitOutcome.Rejected rejected) {
            String message = "upstream submit failed: " + rejected.message();
            if (rejected.httpStatus() == 429 || rejected.httpStatus() >= 500) {
                return retry(job, message, now);
            }
            return failure(job, rejected.vendorError().map(VendorError::code).orElse(rejected.httpStatus()), message);
        } else if (outcome instanceof SubmitOutcome.Unreachable unreachable) {
            if (unreachable.connectionRefused()) {
                return retry(job, "upstream submit failed: " + unreachable.message(), now);
            }
            return failure(job, 0, UNKNOWN_SUBMISSION + " (" + unreachable.message() + ")");
        }
        throw new IllegalStateException("unknown submit outcome: " + outcome);
    }

    private JobTransition retry(Job job, String error, long now) {
        LOG.debugf("job %s: submit not accepted, retrying: %s", job.id, error);
        transientFailures.failed(TransientFailures.Call.SUBMIT, job.id, error).ifPresent(LOG::warn);
        return new JobTransition.SubmitRetried(job.id, owner, error, now + settings.pollMaxInterval().toMillis(), now);
    }

    private JobTransition pollTransition(Job job, PollOutcome outcome) {
        long now = clock.getAsLong();
        long next = nextInterval(job.pollIntervalMs);
        if (outcome instanceof PollOutcome.Running running) {
            boolean started = running.status().equals("processing") || running.status().equals("running");
            return new JobTransition.Progressed(job.id, owner, started ? "in_progress" : "queued", running.status(),
                    next, now);
        } else if (outcome instanceof PollOutcome.Succeeded succeeded) {
            JsonNode urls = succeeded.body().path(job.kind.resultField());
            LOG.debugf("job %s completed", job.id);
            // none sent shows as null (spec §1.15), as the reference's decoder leaves a field the upstream left out
            return new JobTransition.Completed(job.id, owner, urls.isArray() ? urls.toString() : "null", now);
        } else if (outcome instanceof PollOutcome.Failed failed) {
            return failure(job, failed.error().code(), failed.error().message());
        } else if (outcome instanceof PollOutcome.Transient transientError) {
            transientFailures.failed(TransientFailures.Call.POLL, job.id, transientError.message())
                    .ifPresent(LOG::warn);
            return new JobTransition.PollFailed(job.id, owner, transientError.message(), next, now);
        }
        throw new IllegalStateException("unknown poll outcome: " + outcome);
    }

    /** The spec's backoff: ×1.5 per poll, from the poll interval up to the maximum. */
    private long nextInterval(long current) {
        long base = Math.max(current, settings.pollInterval().toMillis());
        return Math.min(base + base / 2, settings.pollMaxInterval().toMillis());
    }

    private JobTransition failure(Job job, int code, String message) {
        LOG.infof("job %s failed: %s", job.id, message);
        return new JobTransition.Failed(job.id, owner, code, message, clock.getAsLong());
    }

    private void finished() {
        if (inFlight.decrementAndGet() <= settings.maxInFlight() / 2 && backlogged.compareAndSet(true, false)) {
            wakeUp.run();
        }
    }
}
