package dev.cli2api.ops;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

/** A scheduled task goes on after it throws, where a bare one would silently never run again. */
class PeriodicTest {

    @Test
    void aTaskThatThrowsAnErrorOrAnExceptionKeepsItsSchedule() {
        // a regression: the job worker's tick caught RuntimeException only; an OutOfMemoryError in a claim ended the
        // schedule, and the worker stopped for good with its jobs leased and nothing in the log
        AtomicInteger runs = new AtomicInteger();
        Runnable failing = () -> {
            int run = runs.incrementAndGet();
            if (run == 1) {
                throw new OutOfMemoryError("Java heap space (thrown by the test)");
            }
            if (run == 2) {
                throw new IllegalStateException("database down (thrown by the test)");
            }
        };
        ScheduledExecutorService ticks = Executors.newSingleThreadScheduledExecutor();
        try {
            ScheduledFuture<?> schedule = ticks.scheduleWithFixedDelay(Periodic.surviving("test task", failing), 0, 10,
                    TimeUnit.MILLISECONDS);
            await().atMost(Duration.ofSeconds(30)).until(() -> runs.get() >= 4);
            assertTrue(!schedule.isDone(), "the schedule is still on");
        } finally {
            ticks.shutdownNow();
        }
    }

    @Test
    void anIntervalUnderAMillisecondIsScheduled() {
        // a regression: CLI2API_WORKER_INTERVAL=500us (a valid Go duration) was a delay of 0 ms, which
        // scheduleWithFixedDelay refused, and the service failed to start
        AtomicInteger runs = new AtomicInteger();
        ScheduledExecutorService ticks = Executors.newSingleThreadScheduledExecutor();
        try {
            ScheduledFuture<?> schedule = Periodic.every(ticks, runs::incrementAndGet, Duration.ZERO,
                    Duration.ofNanos(500_000));
            await().atMost(Duration.ofSeconds(30)).until(() -> runs.get() >= 3);
            assertTrue(!schedule.isDone(), "the schedule is still on");
        } finally {
            ticks.shutdownNow();
        }
    }
}
