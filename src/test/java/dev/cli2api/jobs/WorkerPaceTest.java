package dev.cli2api.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

/** The worker's pace: the in-flight limit halves while the event loops lag, grows back when they keep up. */
class WorkerPaceTest {

    private final AtomicLong lagMicros = new AtomicLong();
    private long now = 1_000_000;

    private WorkerPace pace() {
        return new WorkerPace(256, 2_000, lagMicros::get);
    }

    /** Moves to the next check window and asks for room with {@code inFlight} jobs in flight. */
    private int nextWindow(WorkerPace pace, int inFlight) {
        now += WorkerPace.WINDOW_MS;
        return pace.room(now, inFlight);
    }

    @Test
    void withoutLagTheWholeBoundIsAvailable() {
        WorkerPace pace = pace();
        lagMicros.set(500);
        assertEquals(256, pace.room(now, 0));
        assertEquals(56, pace.room(now, 200));
        assertEquals(0, pace.room(now, 256));
    }

    @Test
    void lagHalvesTheLimitDownToOneAndCalmGrowsItBackBySixteenths() {
        WorkerPace pace = pace();
        lagMicros.set(5_000);
        pace.room(now, 0);
        assertEquals(128, pace.limit());
        for (int expected : new int[] { 64, 32, 16, 8, 4, 2, 1, 1 }) {
            nextWindow(pace, 0);
            if (expected > 1) {
                assertEquals(expected, pace.limit());
            }
        }

        lagMicros.set(1_000);
        nextWindow(pace, 0);
        assertEquals(17, pace.limit(), "the first calm window ends the pause and adds 256 / 16");
        nextWindow(pace, 0);
        assertEquals(33, pace.limit());
        for (int i = 0; i < 20; i++) {
            nextWindow(pace, 0);
        }
        assertEquals(256, pace.limit());
    }

    @Test
    void whenEvenOneJobLagsTheLoopsSingleJobsStartFurtherAndFurtherApartButNeverStop() {
        WorkerPace pace = pace();
        lagMicros.set(5_000);
        for (int i = 0; i < 8; i++) {
            nextWindow(pace, 0); // 128, 64, … 1
        }
        assertEquals(1, pace.limit());

        // the worker asks every 10 ms for 6 s while the loops keep lagging
        java.util.List<Long> starts = new java.util.ArrayList<>();
        for (long t = now + 10; t <= now + 6_000; t += 10) {
            if (pace.room(t, 0) == 1) {
                starts.add(t);
            }
            assertEquals(0, pace.room(t, 1), "never a second one in flight");
        }
        assertEquals(0, pace.limit());
        // at a limit of one, one at a time as each ends; once a whole window lagged at one, the pause starts
        java.util.List<Long> gaps = new java.util.ArrayList<>();
        for (int i = 1; i < starts.size(); i++) {
            gaps.add(starts.get(i) - starts.get(i - 1));
        }
        java.util.List<Long> paused = gaps.subList(gaps.indexOf(WorkerPace.WINDOW_MS), gaps.size());
        for (int i = 1; i < paused.size(); i++) {
            assertTrue(paused.get(i) >= paused.get(i - 1), "pauses grow: " + gaps);
        }
        assertEquals(WorkerPace.MAX_PAUSE_MS, paused.get(paused.size() - 1), gaps::toString);
        assertTrue(paused.size() >= 5, "jobs still start: " + gaps);

        // calm again: the limit grows right away
        lagMicros.set(0);
        now += 6_100;
        assertEquals(17, pace.room(now, 0));
    }

    @Test
    void aTargetOfZeroNeverHoldsTheWorkerBack() {
        WorkerPace pace = new WorkerPace(256, 0, lagMicros::get);
        lagMicros.set(1_000_000);
        for (int i = 0; i < 10; i++) {
            assertEquals(256, nextWindow(pace, 0));
        }
        assertEquals(6, WorkerPace.unlimited(6).room(now, 0));
    }
}
