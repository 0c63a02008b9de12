package dev.cli2api.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import javax.sql.DataSource;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;

/** The reaper's deletion predicate and retention rules (spec §5.3, §5.4, §8.8), swept directly. */
@QuarkusTest
@TestProfile(JobsProfile.class)
class JobReaperTest {

    @Inject
    DataSource dataSource;

    @Inject
    JobStore store;

    @Inject
    JobReaper reaper;

    private JobRows rows;

    @BeforeEach
    void setUp() {
        rows = new JobRows(dataSource);
    }

    @AfterEach
    void tearDown() {
        rows.deleteCreated();
    }

    /** A row the worker never touches: terminal, or queued with its next run far away. */
    private void row(String id, String status, long expiresAt) {
        rows.insert(id, Map.of("status", status, "expires_at", expiresAt, "next_run_at", Long.MAX_VALUE));
    }

    @Test
    void shouldSweepExpiredTerminalRowsThenAbandonedOnesPastTheHardCutoff() {
        row("video_jtreapdone0001", "completed", 50);
        row("video_jtreapfail0001", "failed", 100);
        row("video_jtreapqueue001", "queued", 50);
        row("video_jtreapfuture01", "completed", 150);
        row("video_jtreapnever001", "completed", 0);
        row("video_jtreaplater001", "in_progress", 1000);

        store.deleteExpired(100, 0);

        assertFalse(rows.exists("video_jtreapdone0001"));
        assertFalse(rows.exists("video_jtreapfail0001"));
        for (String survivor : List.of("video_jtreapqueue001", "video_jtreapfuture01", "video_jtreapnever001",
                "video_jtreaplater001")) {
            assertTrue(rows.exists(survivor), survivor);
        }

        store.deleteExpired(100, 200);

        assertFalse(rows.exists("video_jtreapqueue001"));
        assertTrue(rows.exists("video_jtreaplater001"));
        assertTrue(rows.exists("video_jtreapnever001"));
    }

    @Test
    void shouldDeleteAnExpiredCompletedJobAndKeepOneThatNeverExpires() {
        long now = System.currentTimeMillis() / 1000;
        row("video_jtreapexpired1", "completed", now - 1);
        row("video_jtreapforever1", "completed", 0);

        reaper.sweep(Duration.ofHours(1), 3.0, now);

        assertFalse(rows.exists("video_jtreapexpired1"));
        assertTrue(rows.exists("video_jtreapforever1"));
    }

    @Test
    void shouldKeepEverythingWhenRetentionIsZero() {
        row("video_jtreapretain01", "completed", 2);
        row("video_jtreapretain02", "queued", 2);

        for (int tick = 0; tick < 5; tick++) {
            assertEquals(0, reaper.sweep(Duration.ZERO, 1.0, System.currentTimeMillis() / 1000));
        }

        assertTrue(rows.exists("video_jtreapretain01"));
        assertTrue(rows.exists("video_jtreapretain02"));
    }

    @Test
    void shouldDeleteAnAbandonedQueuedJobWithTinyRetention() {
        long now = System.currentTimeMillis() / 1000;
        row("video_jtreapabandon1", "queued", now - 1);

        reaper.sweep(Duration.ofMillis(1), 1.0, now);

        assertFalse(rows.exists("video_jtreapabandon1"));
    }

    @Test
    void shouldKeepTheListPlaceOfAReapedJobForADayWhateverTheRetention() {
        row("video_jtreapplace001", "completed", 50);
        rows.insert("video_jtreapplace002", Map.of("status", "completed", "expires_at", 50L, "created_at", 7L,
                "owner_key_hash", "owner-a", "next_run_at", Long.MAX_VALUE));

        JobCursor place = store.place("video_jtreapplace002", JobKind.VIDEO, Optional.of("owner-a")).orElseThrow();

        assertEquals(2, store.deleteExpired(100, 0));

        assertEquals("100", rows.deletedAt("video_jtreapplace002"));
        assertEquals(7, place.createdAt());
        assertEquals(Optional.of(place), store.deletedPlace(place.id(), JobKind.VIDEO, Optional.of("owner-a"), 100));
        assertEquals(Optional.of(place), store.deletedPlace(place.id(), JobKind.VIDEO, Optional.empty(), 100));
        assertEquals(Optional.empty(), store.deletedPlace(place.id(), JobKind.VIDEO, Optional.of("owner-b"), 100));
        assertEquals(Optional.empty(), store.deletedPlace(place.id(), JobKind.MUSIC, Optional.empty(), 100));
        long dayLater = 100 + JobStore.PLACE_KEPT_SECONDS;
        assertEquals(Optional.of(place), store.deletedPlace(place.id(), JobKind.VIDEO, Optional.empty(), dayLater - 1));
        assertEquals(Optional.empty(), store.deletedPlace(place.id(), JobKind.VIDEO, Optional.empty(), dayLater));

        reaper.sweep(Duration.ZERO, 1.0, dayLater - 1);
        assertEquals("100", rows.deletedAt("video_jtreapplace001"));
        reaper.sweep(Duration.ZERO, 1.0, dayLater);
        assertEquals("", rows.deletedAt("video_jtreapplace001"));
        assertEquals("", rows.deletedAt("video_jtreapplace002"));
    }

    @Test
    void shouldClampTheMultiplierToOne() {
        assertEquals(Duration.ofHours(2), JobReaper.hardCapExtra(Duration.ofHours(2), 0.5));
        assertEquals(Duration.ofHours(6), JobReaper.hardCapExtra(Duration.ofHours(2), 3.0));
        // 2600h × 1000, both valid, overflowed Go's range and failed startup: held at Go's largest duration
        assertEquals(dev.cli2api.config.GoDurations.MAX, JobReaper.hardCapExtra(Duration.ofHours(2600), 1000));
    }
}
