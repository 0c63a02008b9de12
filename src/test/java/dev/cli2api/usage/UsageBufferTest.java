package dev.cli2api.usage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

class UsageBufferTest {

    private static UsageRecord record(int i) {
        return new UsageRecord(i, "/v1/models", "", 200, 1, 10, 0, 0, "req-" + i, "");
    }

    @Test
    void aFullQueueDropsInsteadOfBlockingTheRequest() {
        CountDownLatch blocked = new CountDownLatch(1);
        try (UsageBuffer buffer = new UsageBuffer(1, batch -> blocked.await())) {
            // a hang guard, not a timing assertion: a blocking offer would never return while the store is stuck
            assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
                for (int i = 0; i < 100; i++) {
                    buffer.offer(record(i));
                }
            });
            assertTrue(buffer.dropped() >= 90, "dropped " + buffer.dropped());
            blocked.countDown();
        }
    }

    @Test
    void anEighthOfTheQueueStartsABatchWithoutWaitingForTheInterval() throws Exception {
        List<UsageRecord> written = new CopyOnWriteArrayList<>();
        CountDownLatch batch = new CountDownLatch(1);
        // an interval no test outlives: only the queue's fill level can start this batch
        try (UsageBuffer buffer = new UsageBuffer(80, records -> {
            written.addAll(records);
            batch.countDown();
        }, Duration.ofHours(1).toMillis())) {
            for (int i = 0; i < 9; i++) {
                assertTrue(buffer.offer(record(i)));
            }
            Thread.sleep(200);
            assertTrue(written.isEmpty(), "9 of 80 queued is less than an eighth: no batch yet");
            assertTrue(buffer.offer(record(9)));
            assertTrue(batch.await(30, TimeUnit.SECONDS), "10 of 80 queued started no batch");
            assertEquals(10, written.size());
        }
    }

    @Test
    void closingWritesEverythingStillQueued() throws Exception {
        List<UsageRecord> written = new CopyOnWriteArrayList<>();
        CountDownLatch gate = new CountDownLatch(1);
        UsageBuffer buffer = new UsageBuffer(100, batch -> {
            gate.await();
            written.addAll(batch);
        });
        for (int i = 0; i < 50; i++) {
            assertTrue(buffer.offer(record(i)));
        }
        gate.countDown();
        buffer.close(Duration.ofSeconds(30));

        assertEquals(50, written.size());
        assertEquals(0, buffer.dropped());
        assertEquals(false, buffer.offer(record(99)), "a closed buffer takes nothing more");
    }

    @Test
    void aFailingStoreLosesThatBatchButKeepsWriting() throws Exception {
        List<UsageRecord> written = new CopyOnWriteArrayList<>();
        CountDownLatch failed = new CountDownLatch(1);
        UsageBuffer buffer = new UsageBuffer(10, batch -> {
            if (batch.get(0).timestamp() == 0) {
                failed.countDown();
                throw new IllegalStateException("store down");
            }
            written.addAll(batch);
        });
        buffer.offer(record(0));
        assertTrue(failed.await(30, java.util.concurrent.TimeUnit.SECONDS));
        buffer.offer(record(1));
        buffer.close(Duration.ofSeconds(30));

        assertEquals(List.of(record(1)), written);
    }
}
