package dev.cli2api.usage;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import dev.cli2api.usage.UsageBuffer.Failure;

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
    void aDatabaseThatCannotBeReachedForAWhileLosesNoRecord() {
        List<UsageRecord> written = new CopyOnWriteArrayList<>();
        AtomicInteger attempts = new AtomicInteger();
        UsageBuffer buffer = new UsageBuffer(100, batch -> {
            if (attempts.incrementAndGet() <= 3) {
                throw new SQLException("Connection to 127.0.0.1:5432 refused", "08001");
            }
            written.addAll(batch);
        });
        for (int i = 0; i < 5; i++) {
            assertTrue(buffer.offer(record(i)));
        }
        buffer.close(Duration.ofSeconds(30));

        assertEquals(IntStream.range(0, 5).mapToObj(UsageBufferTest::record).toList(),
                written.stream().sorted((a, b) -> Long.compare(a.timestamp(), b.timestamp())).toList());
        assertTrue(attempts.get() > 3, "attempts " + attempts.get());
        assertEquals(0, buffer.lost());
    }

    @Test
    void aRecordTheDatabaseRejectsCostsOnlyItself() {
        List<UsageRecord> written = new CopyOnWriteArrayList<>();
        UsageBuffer buffer = new UsageBuffer(100, batch -> {
            if (batch.stream().anyMatch(r -> r.timestamp() == 3 || r.timestamp() == 6)) {
                throw new SQLException("index row size 3080 exceeds btree version 4 maximum 2704", "54000");
            }
            written.addAll(batch);
        });
        for (int i = 0; i < 10; i++) {
            assertTrue(buffer.offer(record(i)));
        }
        buffer.close(Duration.ofSeconds(30));

        assertEquals(List.of(0L, 1L, 2L, 4L, 5L, 7L, 8L, 9L),
                written.stream().map(UsageRecord::timestamp).sorted().toList());
        assertEquals(2, buffer.lost());
    }

    @Test
    void closingWhileTheDatabaseStaysDownGivesUpAfterThePatienceAndCountsWhatIsLost() {
        UsageBuffer buffer = new UsageBuffer(100, batch -> {
            throw new SQLTransientConnectionException("Sorry, acquisition timeout!");
        });
        for (int i = 0; i < 7; i++) {
            assertTrue(buffer.offer(record(i)));
        }
        // a hang guard, not a timing assertion: closing must not wait for a database that never comes back
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> buffer.close(Duration.ofMillis(300)));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertEquals(7, buffer.lost()));
    }

    @Test
    void failuresAreRetriedIsolatedOrLostByTheirSqlState() {
        assertEquals(Failure.RETRY, UsageBuffer.classify(new SQLException("refused", "08001")));
        assertEquals(Failure.RETRY, UsageBuffer.classify(new SQLException("I/O error", "08006")));
        assertEquals(Failure.RETRY, UsageBuffer.classify(new SQLException("terminating connection", "57P01")));
        assertEquals(Failure.RETRY, UsageBuffer.classify(new SQLException("canceling statement", "57014")));
        assertEquals(Failure.RETRY, UsageBuffer.classify(new SQLException("too many connections", "53300")));
        assertEquals(Failure.RETRY, UsageBuffer.classify(new SQLException("deadlock detected", "40P01")));
        assertEquals(Failure.RETRY, UsageBuffer.classify(new SQLException("Sorry, acquisition timeout!")));
        assertEquals(Failure.RETRY,
                UsageBuffer.classify(new IllegalStateException(new SQLException("refused", "08001"))));
        assertEquals(Failure.ISOLATE, UsageBuffer.classify(new SQLException("invalid byte sequence", "22021")));
        assertEquals(Failure.ISOLATE, UsageBuffer.classify(new SQLException("not-null violation", "23502")));
        assertEquals(Failure.ISOLATE, UsageBuffer.classify(new SQLException("index row size", "54000")));
        assertEquals(Failure.LOSE, UsageBuffer.classify(new SQLException("relation does not exist", "42P01")));
        assertEquals(Failure.LOSE, UsageBuffer.classify(new IllegalStateException("bug")));
    }

    @Test
    void aFailingStoreLosesThatBatchButKeepsWriting() throws Exception {
        List<UsageRecord> written = new CopyOnWriteArrayList<>();
        CountDownLatch failed = new CountDownLatch(1);
        UsageBuffer buffer = new UsageBuffer(10, batch -> {
            if (batch.get(0).timestamp() == 0) {
                failed.countDown();
                throw new IllegalStateException("a bug in the store"); // neither transient nor about the data
            }
            written.addAll(batch);
        });
        buffer.offer(record(0));
        assertTrue(failed.await(30, java.util.concurrent.TimeUnit.SECONDS));
        buffer.offer(record(1));
        buffer.close(Duration.ofSeconds(30));

        assertEquals(List.of(record(1)), written);
        assertEquals(1, buffer.lost());
    }
}
