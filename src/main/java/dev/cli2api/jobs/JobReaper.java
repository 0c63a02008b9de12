package dev.cli2api.jobs;

import java.time.Duration;

import org.jboss.logging.Logger;

import dev.cli2api.config.Cli2ApiConfig;
import dev.cli2api.config.GoDurations;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The job reaper of spec §5.4: deletes expired terminal jobs, and in-flight jobs past expiry plus
 * {@code retention × CLI2API_JOB_HARD_CAP_MULT}; retention ≤ 0 deletes nothing. Each sweep also forgets the list
 * places of jobs deleted a day ago or more ({@link JobStore#deletedPlace}), whatever the retention.
 */
@ApplicationScoped
public class JobReaper {

    private static final Logger LOG = Logger.getLogger(JobReaper.class);

    private final JobStore store;
    private final Cli2ApiConfig config;

    public JobReaper(JobStore store, Cli2ApiConfig config) {
        this.store = store;
        this.config = config;
    }

    /** One scheduled sweep with the configured retention; errors are logged, never thrown. */
    void sweep() {
        try {
            sweep(config.job().retention(), config.job().hardCapMult(), System.currentTimeMillis() / 1000);
        } catch (RuntimeException e) {
            LOG.warnf("reaper sweep failed: %s", e.getMessage());
        }
    }

    /** One sweep at unix second {@code now}; returns the number of deleted jobs. */
    int sweep(Duration retention, double hardCapMult, long now) {
        int forgotten = store.forgetDeletedPlaces(now);
        if (forgotten > 0) {
            LOG.debugf("reaper sweep: forgot the list places of %d jobs deleted a day ago or more", forgotten);
        }
        if (retention.isNegative() || retention.isZero()) {
            return 0;
        }
        long hardCutoff = now - hardCapExtra(retention, hardCapMult).toSeconds();
        int deleted = store.deleteExpired(now, hardCutoff);
        if (deleted > 0) {
            LOG.infof("reaper sweep: deleted=%d now=%d hard_cutoff=%d", deleted, now, hardCutoff);
        }
        return deleted;
    }

    /**
     * {@code retention × multiplier}, the multiplier clamped to at least 1, the product to Go's largest duration
     * (2600h × 1000, both valid settings, overflowed and failed startup).
     */
    static Duration hardCapExtra(Duration retention, double hardCapMult) {
        double millis = retention.toMillis() * Math.max(1.0, hardCapMult);
        return millis >= GoDurations.MAX.toMillis() ? GoDurations.MAX : Duration.ofMillis((long) millis);
    }
}
