package dev.cli2api.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The worker's call rate: a token bucket that hands out one 10 ms step's worth of calls at a time. */
class WorkerPaceTest {

    private static final long T0 = 1_000_000;

    @Test
    void aFullBucketHoldsOneStepsWorthOfCalls() {
        WorkerPace pace = new WorkerPace(1000, T0);

        assertEquals(10, pace.available(T0), "1000/s for 10 ms");
        assertEquals(0, pace.msUntilStep(T0));
    }

    @Test
    void aUsedUpBucketRefillsAtTheRateAndNeverBeyondOneStep() {
        WorkerPace pace = new WorkerPace(1000, T0);
        pace.took(10);

        assertEquals(0, pace.available(T0));
        assertEquals(10, pace.msUntilStep(T0));
        assertEquals(4, pace.available(T0 + 4));
        assertEquals(6, pace.msUntilStep(T0 + 4));
        assertEquals(10, pace.available(T0 + 10));
        assertEquals(10, pace.available(T0 + 60_000), "an idle minute does not save up a burst");
    }

    @Test
    void aSlowRateStillStartsOneJobAtATime() {
        WorkerPace pace = new WorkerPace(20, T0);

        assertEquals(1, pace.available(T0));
        pace.took(1);
        assertEquals(50, pace.msUntilStep(T0));
        assertEquals(0, pace.available(T0 + 49));
        assertEquals(1, pace.available(T0 + 50));
    }

    @Test
    void aWorkerThatTakesWhatIsAvailableAndWaitsAsToldKeepsToTheRate() {
        // the worker's loop: start what is available, then wait until the bucket is full again
        for (int rate : new int[] { 7, 150, 333, 1000, 2500 }) {
            WorkerPace pace = new WorkerPace(rate, T0);
            long now = T0;
            long started = 0;
            int largestStep = 0;
            while (now < T0 + 10_000) {
                int n = pace.available(now);
                if (n > 0) {
                    pace.took(n);
                    started += n;
                    largestStep = Math.max(largestStep, n);
                } else {
                    now += pace.msUntilStep(now);
                }
            }
            // ten seconds at the rate, give or take the first full bucket
            long expected = rate * 10L;
            assertTrue(Math.abs(started - expected) <= Math.max(1, rate / 100) + 2, rate + "/s started " + started);
            assertEquals(Math.max(1, rate / 100), largestStep, "never more than one step's worth at once");
        }
    }

    @Test
    void takingMoreThanIsAvailableLeavesNothingRatherThanADebt() {
        WorkerPace pace = new WorkerPace(1000, T0);
        pace.took(25);

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
