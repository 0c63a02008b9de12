package dev.cli2api.jobs;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * The {@code jobs} table: inserts, reads, the worker's lease-guarded claim and transitions, and the reaper's
 * deletion predicate. Every method is one SQL statement, hence one short transaction; a transition only applies
 * while the caller still holds the row's lease.
 */
@ApplicationScoped
public class JobStore {

    /** Key of the advisory lock that lets one replica at a time run the reaper's delete. */
    static final long REAPER_LOCK = 0x636c693261706931L;

    private static final String COLUMNS = "local_id, kind, model, vendor_path, vendor_task_id, created_at, completed_at, "
            + "expires_at, status, result_urls, err_code, err_message, request_body::text AS request_body, "
            + "request_echo::text AS request_echo, submit_state, submitted_at, poll_interval_ms, next_run_at, "
            + "owner_key_hash, request_hash";
    private static final String RELEASE = "lease_owner = NULL, lease_expires_at = 0, updated_at = ?";
    private static final String MINE = " WHERE local_id = ? AND lease_owner = ?";

    private final DataSource dataSource;

    public JobStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** A job to create; {@code idempotencyKey} may be null. */
    record NewJob(String id, JobKind kind, String model, String vendorPath, long createdAt, long expiresAt,
            String requestBody, String requestEcho, String ownerKeyHash, String idempotencyKey, String requestHash,
            long nowMs) {
    }

    /**
     * Inserts {@code job}, or returns the job that already holds its idempotency key for the same owner and kind
     * (whose request hash may differ: the caller decides).
     */
    Job insert(NewJob job) {
        String sql = "INSERT INTO jobs (local_id, kind, model, vendor_path, created_at, expires_at, status, request_body, "
                + "request_echo, owner_key_hash, idempotency_key, request_hash, next_run_at, updated_at) "
                + "VALUES (?, ?, ?, ?, ?, ?, 'queued', ?::jsonb, ?::jsonb, ?, ?, ?, ?, ?) "
                + "ON CONFLICT (owner_key_hash, kind, idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING "
                + "RETURNING " + COLUMNS;
        List<Job> inserted = query(sql, job.id(), job.kind().stored(), job.model(), job.vendorPath(), job.createdAt(),
                job.expiresAt(), job.requestBody(), job.requestEcho(), job.ownerKeyHash(), job.idempotencyKey(),
                job.requestHash(), job.nowMs(), job.nowMs());
        if (!inserted.isEmpty()) {
            return inserted.get(0);
        }
        return query("SELECT " + COLUMNS + " FROM jobs WHERE owner_key_hash = ? AND kind = ? AND idempotency_key = ?",
                job.ownerKeyHash(), job.kind().stored(), job.idempotencyKey()).stream().findFirst()
                .orElseThrow(() -> new IllegalStateException("idempotent job vanished: " + job.idempotencyKey()));
    }

    Optional<Job> find(String id) {
        return query("SELECT " + COLUMNS + " FROM jobs WHERE local_id = ?", id).stream().findFirst();
    }

    /** One page of an owner's jobs of {@code kind}, {@code limit} rows, after the job {@code after} when given. */
    List<Job> page(String ownerKeyHash, JobKind kind, Optional<Job> after, boolean ascending, int limit) {
        String direction = ascending ? "ASC" : "DESC";
        String cursor = after.isEmpty() ? ""
                : " AND (created_at, local_id) " + (ascending ? ">" : "<") + " (?, ?)";
        String sql = "SELECT " + COLUMNS + " FROM jobs WHERE owner_key_hash = ? AND kind = ?" + cursor
                + " ORDER BY created_at " + direction + ", local_id " + direction + " LIMIT ?";
        return after.map(a -> query(sql, ownerKeyHash, kind.stored(), a.createdAt(), a.id(), limit))
                .orElseGet(() -> query(sql, ownerKeyHash, kind.stored(), limit));
    }

    boolean delete(String id) {
        return update("DELETE FROM jobs WHERE local_id = ?", id) == 1;
    }

    /**
     * Leases up to {@code limit} due, unfinished jobs whose lease is free or expired to {@code owner} until
     * {@code leaseUntil}; concurrent workers skip each other's locked rows.
     */
    List<Job> claim(String owner, long nowMs, long leaseUntil, int limit) {
        String sql = "UPDATE jobs SET lease_owner = ?, lease_expires_at = ?, updated_at = ? WHERE local_id IN ("
                + "SELECT local_id FROM jobs WHERE status IN ('queued', 'in_progress') AND next_run_at <= ? "
                + "AND lease_expires_at <= ? ORDER BY next_run_at LIMIT ? FOR UPDATE SKIP LOCKED) RETURNING " + COLUMNS;
        return query(sql, owner, leaseUntil, nowMs, nowMs, nowMs, limit);
    }

    /** {@code pending} → {@code submitting}, committed before the submit is sent; false if the lease was lost. */
    boolean markSubmitting(String id, String owner, long nowMs) {
        return update("UPDATE jobs SET submit_state = 'submitting', submit_attempts = submit_attempts + 1, "
                + "updated_at = ?" + MINE + " AND submit_state = 'pending'", nowMs, id, owner) == 1;
    }

    boolean submitted(String id, String owner, String taskId, long nowMs, long pollIntervalMs) {
        return update("UPDATE jobs SET submit_state = 'submitted', vendor_task_id = ?, submitted_at = ?, "
                + "poll_interval_ms = ?, next_run_at = ?, last_error = '', " + RELEASE + MINE, taskId, nowMs,
                pollIntervalMs, nowMs + pollIntervalMs, nowMs, id, owner) == 1;
    }

    /** Back to {@code pending}: the submit provably reached nobody (refused, 429, 5xx). */
    boolean retrySubmit(String id, String owner, String error, long nextRunAt, long nowMs) {
        return update("UPDATE jobs SET submit_state = 'pending', last_error = ?, next_run_at = ?, " + RELEASE + MINE,
                error, nextRunAt, nowMs, id, owner) == 1;
    }

    /** A poll saw the task still running ({@code status} is the client status it maps to). */
    boolean progressed(String id, String owner, String status, String upstreamStatus, long pollIntervalMs,
            long nowMs) {
        return update("UPDATE jobs SET status = ?, upstream_status = ?, poll_attempts = poll_attempts + 1, "
                + "poll_errors = 0, poll_interval_ms = ?, next_run_at = ?, " + RELEASE + MINE, status, upstreamStatus,
                pollIntervalMs, nowMs + pollIntervalMs, nowMs, id, owner) == 1;
    }

    /** A poll failed in a way that may pass; the job keeps its status. */
    boolean pollFailed(String id, String owner, String error, long pollIntervalMs, long nowMs) {
        return update("UPDATE jobs SET poll_attempts = poll_attempts + 1, poll_errors = poll_errors + 1, "
                + "last_error = ?, poll_interval_ms = ?, next_run_at = ?, " + RELEASE + MINE, error, pollIntervalMs,
                nowMs + pollIntervalMs, nowMs, id, owner) == 1;
    }

    boolean completed(String id, String owner, String resultUrls, long nowMs) {
        return update("UPDATE jobs SET status = 'completed', result_urls = ?, completed_at = ?, upstream_status = "
                + "'completed', " + RELEASE + MINE, resultUrls, nowMs / 1000, nowMs, id, owner) == 1;
    }

    boolean failed(String id, String owner, int code, String message, long nowMs) {
        return update("UPDATE jobs SET status = 'failed', err_code = ?, err_message = ?, completed_at = ?, "
                + RELEASE + MINE, code, message, nowMs / 1000, nowMs, id, owner) == 1;
    }

    /**
     * Hands back every lease {@code owner} holds, at shutdown, so another replica resumes those jobs at once
     * instead of after the lease. Jobs whose submit may be in flight keep theirs: their outcome is unknown.
     */
    int releaseAll(String owner, long nowMs) {
        return update("UPDATE jobs SET " + RELEASE + " WHERE lease_owner = ? AND submit_state <> 'submitting'", nowMs,
                owner);
    }

    /** Hands a claimed job back untouched, to be looked at again at {@code nextRunAt}. */
    boolean release(String id, String owner, long nextRunAt, long nowMs) {
        return update("UPDATE jobs SET next_run_at = ?, " + RELEASE + MINE, nextRunAt, nowMs, id, owner) == 1;
    }

    /**
     * The spec §5.3 predicate, run only by the replica that gets the transaction-scoped advisory lock (others
     * delete nothing this round): rows with {@code expires_at > 0} that are terminal and expired at {@code now}, or
     * expired at {@code hardCutoff} (when positive) whatever their status.
     */
    int deleteExpired(long now, long hardCutoff) {
        return update("WITH reaper AS (SELECT pg_try_advisory_xact_lock(?) AS locked) DELETE FROM jobs USING reaper "
                + "WHERE reaper.locked AND expires_at > 0 AND ((status IN ('completed', 'failed') AND expires_at <= ?) "
                + "OR (? > 0 AND expires_at <= ?))", REAPER_LOCK, now, hardCutoff, hardCutoff);
    }

    private List<Job> query(String sql, Object... params) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = prepare(c, sql, params);
                ResultSet rs = ps.executeQuery()) {
            List<Job> jobs = new ArrayList<>();
            while (rs.next()) {
                jobs.add(new Job(rs.getString("local_id"), JobKind.fromStored(rs.getString("kind")),
                        rs.getString("model"), rs.getString("vendor_path"), rs.getString("vendor_task_id"),
                        rs.getLong("created_at"), rs.getLong("completed_at"), rs.getLong("expires_at"),
                        rs.getString("status"), rs.getString("result_urls"), rs.getInt("err_code"),
                        rs.getString("err_message"), rs.getString("request_body"), rs.getString("request_echo"),
                        rs.getString("submit_state"), rs.getLong("submitted_at"), rs.getLong("poll_interval_ms"),
                        rs.getLong("next_run_at"), rs.getString("owner_key_hash"), rs.getString("request_hash")));
            }
            return jobs;
        } catch (SQLException e) {
            throw new JobStoreException(e);
        }
    }

    private int update(String sql, Object... params) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = prepare(c, sql, params)) {
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw new JobStoreException(e);
        }
    }

    private static PreparedStatement prepare(Connection c, String sql, Object... params) throws SQLException {
        PreparedStatement ps = c.prepareStatement(sql);
        for (int i = 0; i < params.length; i++) {
            ps.setObject(i + 1, params[i]);
        }
        return ps;
    }

    /** A failed statement; routes answer it as {@code 500 store: …}. */
    static final class JobStoreException extends RuntimeException {
        JobStoreException(SQLException cause) {
            super(cause.getMessage(), cause);
        }
    }
}
