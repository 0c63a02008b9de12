package dev.cli2api.usage;

import static dev.cli2api.config.GoDurations.positive;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.LongSupplier;

import org.jboss.logging.Logger;

import dev.cli2api.config.Cli2ApiConfig;
import dev.cli2api.config.GoDurations;
import dev.cli2api.ops.Periodic;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * The usage reaper (spec §6.6): every {@code CLI2API_REAPER_INTERVAL} deletes records older than
 * {@code CLI2API_USAGE_RETENTION}; off when either is ≤ 0. One replica sweeps at a time (advisory lock).
 */
@ApplicationScoped
public class UsageRetention {

    private static final Logger LOG = Logger.getLogger(UsageRetention.class);

    private final Cli2ApiConfig config;
    private final UsageStore store;
    private final LongSupplier clockMillis = System::currentTimeMillis;
    private ScheduledExecutorService ticks;

    public UsageRetention(Cli2ApiConfig config, UsageStore store) {
        this.config = config;
        this.store = store;
    }

    void start(@Observes StartupEvent ignored) {
        Duration interval = config.reaper().interval();
        Duration retention = config.usage().retention();
        if (!positive(interval) || !positive(retention)) {
            LOG.info("usage reaper disabled");
            return;
        }
        ticks = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "cli2api-usage-reaper");
            thread.setDaemon(true);
            return thread;
        });
        Periodic.every(ticks, Periodic.surviving("usage reaper sweep", this::sweep), interval, interval);
        LOG.infof("usage reaper started: interval=%s retention=%s", GoDurations.format(interval),
                GoDurations.format(retention));
    }

    /** One sweep: deletes records with {@code ts < now − retention}. */
    int sweep() {
        long cutoff = clockMillis.getAsLong() / 1000 - config.usage().retention().toSeconds();
        try {
            int removed = store.deleteOlderThan(cutoff);
            LOG.infof("usage reaper swept: removed=%d cutoff=%d", removed, cutoff);
            return removed;
        } catch (Exception e) {
            LOG.warnf("usage reaper sweep failed: %s", e.getMessage());
            return 0;
        }
    }

    void stop(@Observes ShutdownEvent ignored) {
        if (ticks != null) {
            ticks.shutdownNow();
        }
    }
}
