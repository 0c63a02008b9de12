package dev.cli2api.ops;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.MeterRegistry;
import io.netty.util.concurrent.EventExecutor;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import io.vertx.core.impl.VertxInternal;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

/**
 * How long work waits for the event loops that serve every request: every {@link #PROBE_MS} a task is queued on each
 * loop and the time until it runs is recorded. Its average since the last reading is what the job worker paces
 * itself by (an API request queued behind the worker's own callbacks waits about that long), and the
 * {@code cli2api_eventloop_lag_seconds} gauge shows it to operators. A loop that has not yet run the previous probe
 * counts with the time that probe has waited so far, so a stalled loop reads as lagging, not as idle.
 */
@Singleton
public class EventLoopLag {

    /** How often the loops are probed. */
    static final long PROBE_MS = 10;

    private final Vertx vertx;
    private final AtomicLong sumNanos = new AtomicLong();
    private final AtomicLong samples = new AtomicLong();
    private volatile double lastSeconds;
    private volatile boolean stopped;
    private Thread prober;

    public EventLoopLag(Vertx vertx, MeterRegistry registry) {
        this.vertx = vertx;
        registry.gauge("cli2api.eventloop.lag.seconds", this, lag -> lag.lastSeconds);
    }

    void start(@Observes StartupEvent ignored) {
        prober = new Thread(this::probe, "cli2api-loop-lag");
        prober.setDaemon(true);
        prober.start();
    }

    void stop(@Observes ShutdownEvent ignored) {
        stopped = true;
        if (prober != null) {
            prober.interrupt();
        }
    }

    /** The average wait, in microseconds, of the probes since the previous call (0 when none completed). */
    public long averageMicrosSinceLastCall() {
        long n = samples.getAndSet(0);
        long sum = sumNanos.getAndSet(0);
        long micros = n == 0 ? 0 : sum / n / 1_000;
        lastSeconds = micros / 1e6;
        return micros;
    }

    private void probe() {
        EventExecutor[] loops = iterable();
        long[] sentAt = new long[loops.length];
        AtomicBoolean[] pending = new AtomicBoolean[loops.length];
        for (int i = 0; i < loops.length; i++) {
            pending[i] = new AtomicBoolean();
        }
        while (!stopped) {
            for (int i = 0; i < loops.length; i++) {
                long now = System.nanoTime();
                if (pending[i].get()) {
                    // still waiting: count how long so far
                    record(now - sentAt[i]);
                    continue;
                }
                long sent = now;
                sentAt[i] = sent;
                pending[i].set(true);
                AtomicBoolean done = pending[i];
                try {
                    loops[i].execute(() -> {
                        record(System.nanoTime() - sent);
                        done.set(false);
                    });
                } catch (RuntimeException shuttingDown) {
                    return;
                }
            }
            try {
                Thread.sleep(PROBE_MS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void record(long nanos) {
        sumNanos.addAndGet(nanos);
        samples.incrementAndGet();
    }

    private EventExecutor[] iterable() {
        java.util.List<EventExecutor> loops = new java.util.ArrayList<>();
        ((VertxInternal) vertx).getEventLoopGroup().forEach(loops::add);
        return loops.toArray(new EventExecutor[0]);
    }
}
