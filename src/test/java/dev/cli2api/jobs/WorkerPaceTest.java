package dev.cli2api.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The worker's call rate: a token bucket of two 10 ms steps' worth of calls, handed out a step or two at a time. */
class WorkerPaceTest {

    private static final long T0 = 1_000_000;

    @Test
    void aFullBucketHoldsTwoStepsWorthOfCalls() {
        WorkerPace pace = new WorkerPace(1000, T0);

        assertEquals(20, pace.available(T0), "1000/s for 2 x 10 ms");
        assertEquals(0, pace.msUntilStep(T0));
    }

    @Test
    void aUsedUpBucketRefillsAtTheRateAndNeverBeyondTwoSteps() {
        WorkerPace pace = new WorkerPace(1000, T0);
        pace.took(20);

        assertEquals(0, pace.available(T0));
        assertEquals(10, pace.msUntilStep(T0));
        assertEquals(4, pace.available(T0 + 4));
        assertEquals(6, pace.msUntilStep(T0 + 4));
        assertEquals(10, pace.available(T0 + 10));
        assertEquals(0, pace.msUntilStep(T0 + 10));
        assertEquals(20, pace.available(T0 + 20));
        assertEquals(20, pace.available(T0 + 60_000), "an idle minute does not save up a burst");
    }

    @Test
    void aSlowRateStillStartsOneJobAtATime() {
        WorkerPace pace = new WorkerPace(20, T0);

        assertEquals(2, pace.available(T0), "two steps of one call");
        pace.took(2);
        assertEquals(50, pace.msUntilStep(T0));
        assertEquals(0, pace.available(T0 + 49));
        assertEquals(1, pace.available(T0 + 50));
    }

    @Test
    void aWorkerThatTakesWhatIsAvailableAndWaitsAsToldKeepsToTheRate() {
        // the worker's loop: once a step's worth is available, start what is; else wait as told, and wake up late by
        // up to lateMs (a busy machine): the second step's room keeps the rate rather than losing what came back
        for (int lateMs : new int[] { 0, 3, 9 }) {
            for (int rate : new int[] { 7, 150, 333, 1000, 2500 }) {
                WorkerPace pace = new WorkerPace(rate, T0);
                int step = Math.max(1, rate / 100);
                long now = T0;
                long started = 0;
                int largest = 0;
                while (now < T0 + 10_000) {
                    long wait = pace.msUntilStep(now);
                    if (wait > 0) {
                        now += wait + lateMs;
                        continue;
                    }
                    int n = pace.available(now);
                    assertTrue(n >= step, rate + "/s: a whole step at least, not " + n);
                    pace.took(n);
                    started += n;
                    largest = Math.max(largest, n);
                }
                // ten seconds at the rate, give or take the first full bucket and the last late wake-up
                long expected = rate * 10L;
                assertTrue(Math.abs(started - expected) <= 2 * step + 2 + rate * lateMs / 1000,
                        rate + "/s, " + lateMs + " ms late, started " + started);
                assertTrue(largest <= 2 * Math.max(1, rate / 100.0),
                        "never more than two steps' worth at once: " + largest);
            }
        }
    }

    @Test
    void takingMoreThanIsAvailableLeavesNothingRatherThanADebt() {
        WorkerPace pace = new WorkerPace(1000, T0);
        pace.took(45);

        assertEquals(10, pace.available(T0 + 10));
    }

    @Test
    void aRateOfZeroIsUnlimited() {
        WorkerPace pace = WorkerPace.unlimited();
        pace.took(1_000_000);

        assertEquals(Integer.MAX_VALUE, pace.available(T0));
        assertEquals(0, pace.msUntilStep(T0));
        assertEquals(Integer.MAX_VALUE, new WorkerPace(0, T0).available(T0));
        assertEquals(Integer.MAX_VALUE, new WorkerPace(-5, T0).available(T0));
    }
}
