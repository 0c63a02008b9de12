package dev.cli2api.ops;

import java.util.ArrayList;
import java.util.List;
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
 * loop and the time until it runs is recorded; the {@code cli2api_eventloop_lag_seconds} gauge shows the average of
 * each {@link #GAUGE_WINDOW_MS} to operators (an API request queued on a loop waits about that long before it is even
 * read). A loop that has not yet run the previous probe counts with the time that probe has waited so far, so a
 * stalled loop reads as lagging, not as idle.
 */
@Singleton
public class EventLoopLag {

    /**
     * How often the loops are probed. Each probe wakes every loop and this thread: every 10 ms, a profile put that at
     * 7 % of a steady-state worker's app CPU, and it doubled an idle replica's.
     */
    static final long PROBE_MS = 50;
    /** The span the gauge averages over (a scrape every 15-60 s reads the last one). */
    static final long GAUGE_WINDOW_MS = 1000;

    /** Probe waits summed since the window was last taken. */
    private static final class Window {
        private final AtomicLong sumNanos = new AtomicLong();
        private final AtomicLong samples = new AtomicLong();

        void add(long nanos) {
            sumNanos.addAndGet(nanos);
            samples.incrementAndGet();
        }

        /** The average wait in microseconds since the previous call (0 when none completed), starting afresh. */
        long takeAverageMicros() {
            long n = samples.getAndSet(0);
            long sum = sumNanos.getAndSet(0);
            return n == 0 ? 0 : sum / n / 1_000;
        }
    }

    private final Vertx vertx;
    private final Window window = new Window();
    private volatile double gaugeSeconds;
    private volatile boolean stopped;
    private Thread prober;

    public EventLoopLag(Vertx vertx, MeterRegistry registry) {
        this.vertx = vertx;
        registry.gauge("cli2api.eventloop.lag.seconds", this, lag -> lag.gaugeSeconds);
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

    private void probe() {
        EventExecutor[] loops = loops();
        long[] sentAt = new long[loops.length];
        AtomicBoolean[] pending = new AtomicBoolean[loops.length];
        for (int i = 0; i < loops.length; i++) {
            pending[i] = new AtomicBoolean();
        }
        long rounds = 0;
        while (!stopped) {
            if (++rounds % (GAUGE_WINDOW_MS / PROBE_MS) == 0) {
                gaugeSeconds = window.takeAverageMicros() / 1e6;
            }
            for (int i = 0; i < loops.length; i++) {
                long now = System.nanoTime();
                if (pending[i].get()) {
                    // still waiting: count how long so far
                    window.add(now - sentAt[i]);
                    continue;
                }
                long sent = now;
                sentAt[i] = sent;
                pending[i].set(true);
                AtomicBoolean done = pending[i];
                try {
                    loops[i].execute(() -> {
                        window.add(System.nanoTime() - sent);
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

    private EventExecutor[] loops() {
        List<EventExecutor> loops = new ArrayList<>();
        ((VertxInternal) vertx).getEventLoopGroup().forEach(loops::add);
        return loops.toArray(new EventExecutor[0]);
    }
}
