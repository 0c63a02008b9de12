package dev.cli2api.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The group commit: what queues up while a transaction is being written goes into the next one, a failed batch is
 * written again item by item, and every callback runs once, after its item's write.
 */
class TransitionWriterTest {

    private static final long WAIT_SECONDS = 30;

    /** Every batch the sink was asked to write (ids), in order, whether it succeeded or not. */
    private final List<List<String>> batches = new CopyOnWriteArrayList<>();
    /** Ids of the transitions the sink wrote. */
    private final Set<String> written = ConcurrentHashMap.newKeySet();
    /** Ids whose callback ran, in order; and callbacks that ran before their item was written. */
    private final List<String> done = new CopyOnWriteArrayList<>();
    private final List<String> doneTooEarly = new CopyOnWriteArrayList<>();
    /** The sink waits here on its first call, once it has counted down {@link #firstWriteStarted}. */
    private final CountDownLatch gate = new CountDownLatch(1);
    private final CountDownLatch firstWriteStarted = new CountDownLatch(1);
    /** Ids the sink cannot write. */
    private Set<String> bad = Set.of();
    private TransitionWriter writer;

    @AfterEach
    void tearDown() {
        gate.countDown();
        if (writer != null) {
            writer.close(Duration.ofSeconds(WAIT_SECONDS));
        }
    }

    private static JobTransition transition(String id) {
        return new JobTransition.Released(id, "owner", 0, 0);
    }

    /** A writer whose sink holds its first batch until {@link #gate} opens and fails batches holding a bad id. */
    private TransitionWriter writer(Set<String> bad, SQLException failure) {
        return writer(bad, failure, Duration.ZERO);
    }

    /** The same, with batches that wait up to {@code linger} after their first item. */
    private TransitionWriter writer(Set<String> bad, SQLException failure, Duration linger) {
        this.bad = bad;
        return new TransitionWriter(batch -> {
            List<String> ids = batch.stream().map(JobTransition::id).toList();
            batches.add(ids);
            if (batches.size() == 1) {
                firstWriteStarted.countDown();
                gate.await();
            }
            if (ids.stream().anyMatch(bad::contains)) {
                throw failure;
            }
            written.addAll(ids);
            boolean[] applied = new boolean[ids.size()];
            Arrays.fill(applied, true);
            return applied;
        }, "test-job-records", linger);
    }

    /** Queues {@code id}; the future completes when its callback has run. */
    private CompletableFuture<Void> queue(String id) {
        CompletableFuture<Void> finished = new CompletableFuture<>();
        writer.write(transition(id), () -> {
            if (!written.contains(id) && !bad.contains(id)) {
                doneTooEarly.add(id);
            }
            done.add(id);
            finished.complete(null);
        });
        return finished;
    }

    /** Holds the writer inside its first transaction (of item {@code first}). */
    private CompletableFuture<Void> busyWith(String first) throws InterruptedException {
        CompletableFuture<Void> finished = queue(first);
        assertTrue(firstWriteStarted.await(WAIT_SECONDS, TimeUnit.SECONDS));
        return finished;
    }

    private static void awaitAll(List<CompletableFuture<Void>> callbacks) throws Exception {
        CompletableFuture.allOf(callbacks.toArray(CompletableFuture[]::new)).get(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    private static List<String> ids(String prefix, int count) {
        return IntStream.range(0, count).mapToObj(i -> prefix + i).toList();
    }

    @Test
    void shouldWriteEverythingQueuedWhileTheWriterIsBusyInOneTransaction() throws Exception {
        writer = writer(Set.of(), null);
        List<CompletableFuture<Void>> callbacks = new ArrayList<>(List.of(busyWith("first")));
        List<String> queued = ids("job-", 100);
        queued.forEach(id -> callbacks.add(queue(id)));
        assertTrue(done.isEmpty(), "callbacks wait for their write: " + done);

        gate.countDown();
        awaitAll(callbacks);

        assertEquals(List.of(List.of("first"), queued), batches, "101 outcomes, 2 transactions");
        assertEquals(101, written.size());
        assertEquals(101, done.size());
        assertEquals(List.of(), doneTooEarly);
    }

    @Test
    void shouldWriteAnItemQueuedWhileIdleAtOnceOnItsOwn() throws Exception {
        writer = writer(Set.of(), null);
        gate.countDown();

        awaitAll(List.of(queue("alone")));
        awaitAll(List.of(queue("next")));

        assertEquals(List.of(List.of("alone"), List.of("next")), batches);
    }

    @Test
    void shouldWaitTheLingerAfterABatchsFirstItemForMoreOfThem() throws Exception {
        writer = writer(Set.of(), null, Duration.ofSeconds(2));
        gate.countDown();
        List<CompletableFuture<Void>> callbacks = new ArrayList<>();

        callbacks.add(queue("paced-0"));
        Thread.sleep(50);
        callbacks.add(queue("paced-1"));
        Thread.sleep(50);
        callbacks.add(queue("paced-2"));
        awaitAll(callbacks);

        assertEquals(List.of(List.of("paced-0", "paced-1", "paced-2")), batches,
                "outcomes arriving one by one within the linger share a transaction");
        assertEquals(List.of(), doneTooEarly);
    }

    @Test
    void shouldNotWaitTheLingerOnceABatchIsFull() throws Exception {
        writer = writer(Set.of(), null, Duration.ofMinutes(5));
        gate.countDown();
        List<String> queued = ids("full-", TransitionWriter.MAX_BATCH);
        List<CompletableFuture<Void>> callbacks = new ArrayList<>();
        queued.forEach(id -> callbacks.add(queue(id)));

        awaitAll(callbacks);

        assertEquals(List.of(queued), batches);
    }

    @Test
    void shouldWriteWhatALingeringBatchHoldsWhenClosed() throws Exception {
        writer = writer(Set.of(), null, Duration.ofMinutes(5));
        gate.countDown();
        CompletableFuture<Void> lingering = queue("lingering");

        writer.close(Duration.ofSeconds(WAIT_SECONDS));

        lingering.get(WAIT_SECONDS, TimeUnit.SECONDS);
        assertEquals(List.of(List.of("lingering")), batches);
    }

    @Test
    void shouldCapATransactionAtMaxBatchItems() throws Exception {
        writer = writer(Set.of(), null);
        List<CompletableFuture<Void>> callbacks = new ArrayList<>(List.of(busyWith("first")));
        ids("job-", 600).forEach(id -> callbacks.add(queue(id)));

        gate.countDown();
        awaitAll(callbacks);

        assertEquals(List.of(1, TransitionWriter.MAX_BATCH, TransitionWriter.MAX_BATCH,
                600 - 2 * TransitionWriter.MAX_BATCH), batches.stream().map(List::size).toList());
        assertEquals(601, written.size());
    }

    @Test
    void shouldWriteAFailedBatchAgainItemByItemSoOneBadItemLosesNoOtherOutcome() throws Exception {
        writer = writer(Set.of("bad"), new SQLException("new row violates check constraint", "23514"));
        List<CompletableFuture<Void>> callbacks = new ArrayList<>(List.of(busyWith("first")));
        List.of("good-1", "bad", "good-2").forEach(id -> callbacks.add(queue(id)));

        gate.countDown();
        awaitAll(callbacks);

        assertEquals(List.of(List.of("first"), List.of("good-1", "bad", "good-2"), List.of("good-1"), List.of("bad"),
                List.of("good-2")), batches);
        assertEquals(Set.of("first", "good-1", "good-2"), written);
        assertEquals(List.of("first", "good-1", "bad", "good-2"), done, "every callback once, the failed one too");
        assertEquals(List.of(), doneTooEarly);
    }

    @Test
    void shouldNotRetryItemByItemWhenNoConnectionCouldBeHad() throws Exception {
        writer = writer(Set.of("a", "b", "c"), new SQLTransientConnectionException("no database connection"));
        List<CompletableFuture<Void>> callbacks = new ArrayList<>(List.of(busyWith("first")));
        List.of("a", "b", "c").forEach(id -> callbacks.add(queue(id)));

        gate.countDown();
        awaitAll(callbacks);

        assertEquals(List.of(List.of("first"), List.of("a", "b", "c")), batches);
        assertEquals(List.of("first", "a", "b", "c"), done);
    }

    @Test
    void shouldWriteWhatIsQueuedWhenClosedAndRecordNothingAfterwards() throws Exception {
        writer = writer(Set.of(), null);
        List<CompletableFuture<Void>> callbacks = new ArrayList<>(List.of(busyWith("first")));
        List<String> queued = ids("job-", 9);
        queued.forEach(id -> callbacks.add(queue(id)));

        CompletableFuture<Void> closing = CompletableFuture.runAsync(() -> writer.close(Duration.ofSeconds(
                WAIT_SECONDS)));
        gate.countDown();
        closing.get(WAIT_SECONDS, TimeUnit.SECONDS);
        awaitAll(callbacks);
        CompletableFuture<Void> late = queue("late");

        assertEquals(List.of(List.of("first"), queued), batches);
        assertTrue(late.isDone(), "a closed writer runs the callback at once");
        assertFalse(written.contains("late"));
    }
}
