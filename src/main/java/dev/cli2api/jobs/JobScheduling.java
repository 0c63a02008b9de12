package dev.cli2api.jobs;

import static dev.cli2api.config.GoDurations.positive;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.jboss.logging.Logger;

import dev.cli2api.config.Cli2ApiConfig;
import dev.cli2api.config.GoDurations;
import dev.cli2api.ops.Periodic;
import dev.cli2api.upstream.MuleRunJobs;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Runs this replica's job worker and the job reaper on fixed-delay ticks (a plain scheduled executor, since the
 * worker needs sub-second ticks in tests); an interval ≤ 0 turns either off.
 */
@ApplicationScoped
public class JobScheduling {

    private static final Logger LOG = Logger.getLogger(JobScheduling.class);
    /** Hard cap on a job's time in flight when retention is off. */
    static final Duration DEFAULT_HARD_CAP = Duration.ofHours(24);
    /** How long a stopping replica waits for the answers to submits it has sent (see the grace period in deploy/). */
    static final Duration SUBMIT_DRAIN = Duration.ofSeconds(10);
    /**
     * How long the outcome writer's transactions wait after their first outcome for more: a paced worker's outcomes
     * arrive a few at a time, and each commit is a WAL flush.
     */
    static final Duration WRITER_LINGER = Duration.ofMillis(10);
    /** How long a stopping replica lets the outcome writer record what is already queued. */
    static final Duration WRITER_DRAIN = Duration.ofSeconds(5);

    private final Cli2ApiConfig config;
    private final JobWorker worker;
    private final JobReaper reaper;
    private final JobStore store;
    /**
     * Records the worker's outcomes, many per transaction, on one thread: a draining backlog holds one pooled
     * connection, so the routes' own JDBC work (creates, lists, deletes) always finds one.
     */
    private final TransitionWriter writer;
    private final Vertx vertx;
    /** Where the worker's upstream calls run, apart from the event loops that serve the API (while it runs). */
    private WorkerEventLoop calls;
    private ScheduledExecutorService ticks;
    private final AtomicBoolean rateWaitPending = new AtomicBoolean();
    /** The worker's tick, logging what it throws instead of ending the schedule it runs on. */
    private final Runnable guardedTick;

    public JobScheduling(Cli2ApiConfig config, JobStore store, MuleRunJobs upstream, JobReaper reaper,
            MeterRegistry registry, Vertx vertx) {
        this.config = config;
        this.reaper = reaper;
        this.store = store;
        this.vertx = vertx;
        this.writer = new TransitionWriter(store::record, "cli2api-job-records", WRITER_LINGER);
        this.worker = new JobWorker(store, upstream, settings(config), "worker-" + UUID.randomUUID(),
                System::currentTimeMillis, writer);
        worker.pace(new WorkerPace(config.worker().rate(), System.currentTimeMillis()));
        registry.gauge("cli2api.worker.in_flight", worker, JobWorker::inFlight);
        for (TransientFailures.Call call : TransientFailures.Call.values()) {
            FunctionCounter.builder("cli2api.worker.upstream_retries", worker, w -> w.transientFailures(call))
                    .description("Upstream calls of the job worker that failed and are retried: submits refused "
                            + "with 429, a 5xx or a refused connection, polls with a transient error")
                    .tag("call", call.name().toLowerCase(java.util.Locale.ROOT)).register(registry);
        }
        this.guardedTick = Periodic.surviving("job worker tick", worker::tick);
    }

    /**
     * Bytes of request bodies the worker's submits may hold at once: an eighth of the heap (64 MiB of a 512 MiB heap).
     * A submit holds its body about four times over (the stored text, the parsed tree, the payload, the HTTP
     * buffer); a claim of 32 jobs with 8 MB reference images held 270 MB of bodies and ran a 512 MiB heap out of
     * memory.
     */
    static long submitBodyBudget() {
        return Runtime.getRuntime().maxMemory() / 8;
    }

    /** The worker settings from configuration. */
    static JobWorker.Settings settings(Cli2ApiConfig config) {
        Duration retention = config.job().retention();
        Duration hardCap = retention.isNegative() || retention.isZero() ? DEFAULT_HARD_CAP
                : JobReaper.hardCapExtra(retention, config.job().hardCapMult());
        return new JobWorker.Settings(config.poll().interval(), config.poll().maxInterval(), config.worker().lease(),
                config.worker().batch(), config.worker().maxInFlight(), hardCap, submitBodyBudget());
    }

    void start(@Observes StartupEvent ignored) {
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "cli2api-jobs");
            thread.setDaemon(true);
            return thread;
        });
        // a tick waiting out the call rate must not claim anything once stopping
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        ticks = executor;
        Duration workerInterval = config.worker().interval();
        if (positive(workerInterval)) {
            calls = new WorkerEventLoop(vertx, "cli2api-jobs-upstream");
            worker.callsOn(calls);
            Periodic.every(ticks, this::tick, Duration.ZERO, workerInterval);
            worker.onRoom(this::tickSoon);
            worker.onRateWait(this::tickAfter);
            LOG.infof("job worker started: owner=%s interval=%s rate=%s", worker.owner(),
                    GoDurations.format(workerInterval),
                    config.worker().rate() > 0 ? config.worker().rate() + "/s" : "unlimited");
        } else {
            LOG.info("job worker disabled");
        }
        Duration reaperInterval = config.reaper().interval();
        if (positive(reaperInterval)) {
            Periodic.every(ticks, Periodic.surviving("reaper sweep", reaper::sweep), reaperInterval, reaperInterval);
            LOG.infof("reaper started: interval=%s retention=%s hard_cap_extra=%s",
                    GoDurations.format(reaperInterval),
                    GoDurations.format(config.job().retention()), GoDurations.format(JobReaper.hardCapExtra(
                            config.job().retention(), config.job().hardCapMult())));
        } else {
            LOG.info("reaper disabled");
        }
    }

    void stop(@Observes ShutdownEvent ignored) {
        if (ticks != null) {
            ticks.shutdown();
        }
        drainSubmits();
        // outcomes already queued are written; those still arriving (polls) are not: their leases are handed back
        writer.close(WRITER_DRAIN);
        try {
            int released = store.releaseAll(worker.owner(), System.currentTimeMillis());
            if (released > 0) {
                LOG.infof("released %d job lease(s) for other replicas", released);
            }
        } catch (RuntimeException e) {
            LOG.warnf("could not release job leases at shutdown (they expire by themselves): %s", e.getMessage());
        }
        if (calls != null) {
            calls.close();
        }
    }

    /**
     * Lets the current tick end, then waits (up to {@link #SUBMIT_DRAIN}) until the answer to every submit already
     * sent is recorded: a submit cut off here could not be resumed elsewhere, since it may have been accepted.
     */
    private void drainSubmits() {
        long deadline = System.nanoTime() + SUBMIT_DRAIN.toNanos();
        try {
            if (ticks != null && !ticks.awaitTermination(SUBMIT_DRAIN.toMillis(), TimeUnit.MILLISECONDS)) {
                ticks.shutdownNow();
            }
            while (worker.submitsInFlight() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (worker.submitsInFlight() > 0) {
            LOG.warnf("stopping with %d submit(s) unanswered; those jobs will fail as submission outcome unknown",
                    worker.submitsInFlight());
        }
    }

    /** An extra tick as soon as the ticks thread is free (a backlog found room again); none once stopping. */
    private void tickSoon() {
        try {
            ticks.execute(this::tick);
        } catch (RejectedExecutionException stopping) {
            // shutting down: nothing more is claimed
        }
    }

    /**
     * One tick after {@code delayMs} (the worker used up its call rate with due jobs left), unless one is already
     * waiting; none once stopping.
     */
    private void tickAfter(long delayMs) {
        if (!rateWaitPending.compareAndSet(false, true)) {
            return;
        }
        try {
            ticks.schedule(() -> {
                rateWaitPending.set(false);
                tick();
            }, delayMs, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException stopping) {
            rateWaitPending.set(false);
        }
    }

    private void tick() {
        guardedTick.run();
    }
}
