package dev.cli2api.ops;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.jboss.logging.Logger;

/**
 * Guards the tasks the service runs on a schedule of its own (the job worker's ticks, the job and usage reapers): a
 * task that throws out of {@code ScheduledExecutorService.scheduleWithFixedDelay} is never run again, silently.
 */
public final class Periodic {

    private static final Logger LOG = Logger.getLogger(Periodic.class);

    private Periodic() {
    }

    /**
     * Runs {@code task} on {@code executor} every {@code interval} after {@code initialDelay}, to the nanosecond: a
     * configured interval under a millisecond ({@code 500us}, a valid Go duration) was a delay of 0 ms, which
     * {@code scheduleWithFixedDelay} refuses, and the service failed to start.
     */
    public static ScheduledFuture<?> every(ScheduledExecutorService executor, Runnable task, Duration initialDelay,
            Duration interval) {
        return executor.scheduleWithFixedDelay(task, initialDelay.toNanos(), interval.toNanos(), TimeUnit.NANOSECONDS);
    }

    /**
     * {@code task}, made to log whatever it throws instead of ending its schedule: an exception (a database that is
     * down) as a WARN, an error such as an {@link OutOfMemoryError} (a claim of many jobs with large reference images)
     * as an ERROR. The next run comes as usual, where the worker used to stop for good with jobs left leased and
     * nothing in the log.
     */
    public static Runnable surviving(String what, Runnable task) {
        return () -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.warnf("%s failed: %s", what, e.getMessage());
            } catch (Error e) {
                LOG.errorf(e, "%s failed", what);
            }
        };
    }
}
