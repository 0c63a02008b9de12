package dev.cli2api.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import dev.cli2api.jobs.TransientFailures.Call;

/** The worker's retried upstream failures are counted and reported at once, then at most once a minute. */
class TransientFailuresTest {

    @Test
    void reportsTheFirstFailureAtOnceThenAtMostOnceAMinuteWithTheCountsSince() {
        AtomicLong now = new AtomicLong(1_000_000);
        TransientFailures failures = new TransientFailures(now::get);

        assertEquals(Optional.of("job worker: upstream calls are failing and will be retried: 0 submit(s) refused "
                + "and 1 poll(s) failed; last: job video_a: upstream HTTP 401 (transient)"),
                failures.failed(Call.POLL, "video_a", "upstream HTTP 401 (transient)"));
        now.addAndGet(1_000);
        assertEquals(Optional.empty(), failures.failed(Call.POLL, "video_b", "upstream HTTP 401 (transient)"));
        assertEquals(Optional.empty(), failures.failed(Call.SUBMIT, "video_c", "upstream submit failed: upstream "
                + "HTTP 503"));
        now.addAndGet(TransientFailures.REPORT_EVERY_MS - 1_000);
        assertEquals(Optional.of("job worker: upstream calls are failing and will be retried: 1 submit(s) refused "
                + "and 2 poll(s) failed in the last 60s; last: job video_d: upstream HTTP 429 (transient)"),
                failures.failed(Call.POLL, "video_d", "upstream HTTP 429 (transient)"));

        assertEquals(1, failures.count(Call.SUBMIT));
        assertEquals(3, failures.count(Call.POLL));
    }
}
