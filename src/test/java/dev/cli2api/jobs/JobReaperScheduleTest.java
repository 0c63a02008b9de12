package dev.cli2api.jobs;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;

import javax.sql.DataSource;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;

/** The scheduled reaper deletes an expired completed job by itself; with the worker off nothing is submitted. */
@QuarkusTest
@TestProfile(ReaperScheduleProfile.class)
class JobReaperScheduleTest {

    @Inject
    DataSource dataSource;

    private JobRows rows;

    @BeforeEach
    void setUp() {
        rows = new JobRows(dataSource);
    }

    @AfterEach
    void tearDown() {
        rows.deleteCreated();
    }

    @Test
    void shouldReapAnExpiredCompletedJobAndKeepOneThatNeverExpires() {
        rows.insert("video_jtschedexpired", Map.of("status", "completed", "expires_at", 1L));
        rows.insert("video_jtschedforever", Map.of("status", "completed", "expires_at", 0L));

        await().atMost(Duration.ofSeconds(5)).until(() -> !rows.exists("video_jtschedexpired"));

        assertTrue(rows.exists("video_jtschedforever"));
    }

    @Test
    void shouldLeaveJobsAloneWhenTheWorkerIsOff() {
        rows.insert("video_jtschednowork0", Map.of("request_body", "{}"));

        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5))
                .until(() -> rows.column("video_jtschednowork0", "submit_state").equals("pending"));

        assertEquals("", rows.column("video_jtschednowork0", "vendor_task_id"));
    }
}
