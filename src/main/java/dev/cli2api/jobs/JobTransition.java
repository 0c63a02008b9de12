package dev.cli2api.jobs;

import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * One lease-guarded change of one job, as the worker records it after an upstream answer (or instead of a call):
 * an {@code UPDATE jobs … WHERE local_id = ? AND lease_owner = ?} that applies only while {@link #owner} still holds
 * the job's lease. Each kind has one statement, so {@link JobStore#record} can send many transitions of a kind as one
 * JDBC batch; every kind but {@link Released} hands the lease back.
 */
sealed interface JobTransition {

    /** Columns that hand the lease back; {@code updated_at} is the transition's time. */
    String RELEASE = "lease_owner = NULL, lease_expires_at = 0, updated_at = ?";
    /** The lease guard; its two parameters come last. */
    String MINE = " WHERE local_id = ? AND lease_owner = ?";

    String id();

    String owner();

    /** The statement of this kind: the same text for every transition of the kind. */
    String sql();

    /** Sets every parameter of {@link #sql}. */
    void bind(PreparedStatement ps) throws SQLException;

    /**
     * Sets {@code values} as the statement's parameters, in order, followed by the lease guard's. Text from upstream
     * (task ids, statuses, error messages) has any U+0000 replaced by U+FFFD: PostgreSQL's text cannot hold it, and a
     * transition that cannot be written would leave its job to be retried until the hard cap.
     */
    private static void bind(PreparedStatement ps, JobTransition t, Object... values) throws SQLException {
        int p = 1;
        for (Object value : values) {
            ps.setObject(p++, value instanceof String text ? text.replace('\0', '\uFFFD') : value);
        }
        ps.setString(p++, t.id());
        ps.setString(p, t.owner());
    }

    /** The upstream accepted the submit as {@code taskId}: poll it after {@code pollIntervalMs}. */
    record Submitted(String id, String owner, String taskId, long nowMs, long pollIntervalMs) implements JobTransition {

        static final String SQL = "UPDATE jobs SET submit_state = 'submitted', vendor_task_id = ?, submitted_at = ?, "
                + "poll_interval_ms = ?, next_run_at = ?, last_error = '', " + RELEASE + MINE;

        @Override
        public String sql() {
            return SQL;
        }

        @Override
        public void bind(PreparedStatement ps) throws SQLException {
            JobTransition.bind(ps, this, taskId, nowMs, pollIntervalMs, nowMs + pollIntervalMs, nowMs);
        }
    }

    /** Back to {@code pending}: the submit provably reached nobody (refused, 429, 5xx); again at {@code nextRunAt}. */
    record SubmitRetried(String id, String owner, String error, long nextRunAt, long nowMs) implements JobTransition {

        static final String SQL = "UPDATE jobs SET submit_state = 'pending', last_error = ?, next_run_at = ?, "
                + RELEASE + MINE;

        @Override
        public String sql() {
            return SQL;
        }

        @Override
        public void bind(PreparedStatement ps) throws SQLException {
            JobTransition.bind(ps, this, error, nextRunAt, nowMs);
        }
    }

    /** A poll saw the task still running ({@code status} is the client status it maps to). */
    record Progressed(String id, String owner, String status, String upstreamStatus, long pollIntervalMs, long nowMs)
            implements JobTransition {

        static final String SQL = "UPDATE jobs SET status = ?, upstream_status = ?, poll_attempts = poll_attempts + 1, "
                + "poll_errors = 0, poll_interval_ms = ?, next_run_at = ?, " + RELEASE + MINE;

        @Override
        public String sql() {
            return SQL;
        }

        @Override
        public void bind(PreparedStatement ps) throws SQLException {
            JobTransition.bind(ps, this, status, upstreamStatus, pollIntervalMs, nowMs + pollIntervalMs, nowMs);
        }
    }

    /** A poll failed in a way that may pass; the job keeps its status. */
    record PollFailed(String id, String owner, String error, long pollIntervalMs, long nowMs) implements JobTransition {

        static final String SQL = "UPDATE jobs SET poll_attempts = poll_attempts + 1, poll_errors = poll_errors + 1, "
                + "last_error = ?, poll_interval_ms = ?, next_run_at = ?, " + RELEASE + MINE;

        @Override
        public String sql() {
            return SQL;
        }

        @Override
        public void bind(PreparedStatement ps) throws SQLException {
            JobTransition.bind(ps, this, error, pollIntervalMs, nowMs + pollIntervalMs, nowMs);
        }
    }

    /** The task finished with {@code resultUrls} (a JSON array, or {@code null} when the upstream sent none). */
    record Completed(String id, String owner, String resultUrls, long nowMs) implements JobTransition {

        static final String SQL = "UPDATE jobs SET status = 'completed', result_urls = ?, completed_at = ?, "
                + "upstream_status = 'completed', " + RELEASE + MINE;

        @Override
        public String sql() {
            return SQL;
        }

        @Override
        public void bind(PreparedStatement ps) throws SQLException {
            JobTransition.bind(ps, this, resultUrls, nowMs / 1000, nowMs);
        }
    }

    /** The job failed for good with {@code code} and {@code message}. */
    record Failed(String id, String owner, int code, String message, long nowMs) implements JobTransition {

        static final String SQL = "UPDATE jobs SET status = 'failed', err_code = ?, err_message = ?, completed_at = ?, "
                + RELEASE + MINE;

        @Override
        public String sql() {
            return SQL;
        }

        @Override
        public void bind(PreparedStatement ps) throws SQLException {
            JobTransition.bind(ps, this, code, message, nowMs / 1000, nowMs);
        }
    }

    /** Hands a claimed job back untouched, to be looked at again at {@code nextRunAt}. */
    record Released(String id, String owner, long nextRunAt, long nowMs) implements JobTransition {

        static final String SQL = "UPDATE jobs SET next_run_at = ?, " + RELEASE + MINE;

        @Override
        public String sql() {
            return SQL;
        }

        @Override
        public void bind(PreparedStatement ps) throws SQLException {
            JobTransition.bind(ps, this, nextRunAt, nowMs);
        }
    }
}
