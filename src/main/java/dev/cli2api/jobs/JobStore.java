package dev.cli2api.jobs;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.IntFunction;
import java.util.function.Predicate;

import javax.sql.DataSource;

import org.hibernate.exception.ConstraintViolationException;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.panache.common.Parameters;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.PersistenceException;
import jakarta.transaction.Transactional;

/**
 * Persistence of {@link Job}s: inserts, reads, the worker's lease-guarded claim and transitions, and the reaper's
 * deletion predicate. Every write is one short transaction, so none is open while upstream calls run; reads are
 * read-only queries in the route's request-scoped session, without a transaction. The worker's hot writes (marking a
 * tick's submits, recording {@link JobTransition}s in batches) are plain JDBC on the pooled {@link DataSource},
 * without a Hibernate session: each transition is an update that only applies while the caller still holds the row's
 * lease, and the worker keeps only the detached copies its claim returned, so no persistence context serves a row
 * older than such an update.
 */
@ApplicationScoped
public class JobStore {

    /** Key of the advisory lock that lets one replica at a time run the reaper's delete. */
    static final long REAPER_LOCK = 0x636c693261706931L;
    /**
     * How long the list place of a deleted job is kept: a day, for clients paging on from a page whose last job they
     * deleted (see {@code V5__deleted_jobs.sql}).
     */
    static final long PLACE_KEPT_SECONDS = 24 * 60 * 60;
    /** The unique index that makes an {@code Idempotency-Key} name one job per owner and kind. */
    static final String IDEMPOTENCY_INDEX = "jobs_idempotency_uq";

    /**
     * The worker's claim (see {@link #claim}): the due rows, longest due first, locked; of those, every one that needs no body (a poll) and the pending ones
     * (submits) while the running total of their stored body sizes stays within the byte budget, or the first of them
     * when the budget allows one regardless; leased, returning the body of the pending ones only.
     */
    private static final String CLAIM = "WITH due AS (SELECT local_id, next_run_at, CASE WHEN submit_state = "
            + "'pending' THEN pg_column_size(request_body) ELSE 0 END AS body_bytes FROM jobs "
            + "WHERE status IN ('queued', 'in_progress') AND next_run_at <= ? AND lease_expires_at <= ? "
            + "ORDER BY next_run_at LIMIT ? FOR UPDATE SKIP LOCKED), "
            + "sized AS (SELECT local_id, body_bytes, sum(body_bytes) OVER w AS running, "
            + "count(*) FILTER (WHERE body_bytes > 0) OVER w AS pending_rank FROM due "
            + "WINDOW w AS (ORDER BY next_run_at, local_id)) "
            + "UPDATE jobs SET lease_owner = ?, lease_expires_at = ?, updated_at = ? "
            + "WHERE local_id IN (SELECT local_id FROM sized WHERE body_bytes = 0 OR running <= ? "
            + "OR (pending_rank = 1 AND ?)) RETURNING local_id, kind, vendor_path, vendor_task_id, created_at, "
            + "submitted_at, submit_state, CASE WHEN submit_state = 'pending' THEN request_body::text END "
            + "AS request_body, poll_interval_ms";

    private final DataSource dataSource;

    public JobStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Persists {@code job}, or returns the job that already holds its idempotency key for the same owner and kind
     * (whose request hash may differ: the caller decides). A concurrent insert with the same key loses on the unique
     * index; its transaction is rolled back and it answers the winner's job.
     */
    Job insert(Job job) {
        try {
            return QuarkusTransaction.requiringNew().call(() -> holderOfKey(job).orElseGet(() -> {
                job.persistAndFlush();
                return job;
            }));
        } catch (RuntimeException e) {
            if (job.idempotencyKey == null || !violates(e, IDEMPOTENCY_INDEX)) {
                throw e;
            }
            return QuarkusTransaction.requiringNew().call(() -> holderOfKey(job)).orElseThrow(
                    () -> new IllegalStateException("idempotent job vanished: " + job.idempotencyKey));
        }
    }

    private static Optional<Job> holderOfKey(Job job) {
        if (job.idempotencyKey == null) {
            return Optional.empty();
        }
        return Job.<Job> find("ownerKeyHash = :owner and kind = :kind and idempotencyKey = :key", Parameters
                .with("owner", job.ownerKeyHash).and("kind", job.kind).and("key", job.idempotencyKey))
                .singleResultOptional();
    }

    /**
     * The view of job {@code id} ({@link JobReads#VIEW_COLUMNS}: not its request body, which may hold tens of megabytes
     * of reference images); none, without a query, for an id no row can hold ({@link JobIds#storable}).
     */
    Optional<JobView> view(String id) {
        if (!JobIds.storable(id)) {
            return Optional.empty();
        }
        List<JobView> found = views(JobReads.VIEW_COLUMNS + " WHERE local_id = ?", id);
        return found.stream().findFirst();
    }

    /** A page of views, and whether the owner has more jobs past it. */
    record Page(List<JobView> jobs, boolean more) {
    }

    /**
     * One page of an owner's jobs of {@code kind}, at most {@code limit} rows, after the job {@code after} when given,
     * as views: a page of jobs with large reference images loaded every body (about 25 MB each) and ran the heap out
     * of memory. The page also ends before a job whose request echo would take the page's echoes past
     * {@code echoBytes} (the first job is always on it): a page of twenty jobs with 20 MB prompts, each echoed, ran a
     * 256 MiB heap out of memory as well. The cut is made by PostgreSQL, which sends no echo past it.
     */
    Page page(String ownerKeyHash, JobKind kind, Optional<JobCursor> after, boolean ascending, int limit,
            long echoBytes) {
        String order = ascending ? "ORDER BY created_at ASC, list_seq ASC" : "ORDER BY created_at DESC, list_seq DESC";
        StringBuilder sql = new StringBuilder("SELECT local_id, kind, status, model, created_at, completed_at, "
                + "expires_at, result_urls, err_code, err_message, CASE WHEN fits THEN prompt_ END, "
                + "CASE WHEN fits THEN seconds_ END, CASE WHEN fits THEN size_ END, next_run_at, owner_key_hash, fits "
                + "FROM (SELECT local_id, kind, status, model, created_at, list_seq, completed_at, expires_at, "
                + "result_urls, err_code, err_message, " + JobReads.echoed("_") + ", next_run_at, owner_key_hash, "
                // the echoes of the rows before this one, which must leave room for it
                + "coalesce(sum(octet_length(request_echo::text)) OVER (" + order
                + " ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) < ? AS fits "
                + "FROM jobs WHERE owner_key_hash = ? AND kind = ?");
        List<Object> params = new ArrayList<>(List.of(echoBytes, ownerKeyHash, kind.stored()));
        if (after.isPresent()) {
            // a row comparison, so jobs_owner_list_idx serves the cursor
            sql.append(" AND (created_at, list_seq) ").append(ascending ? ">" : "<").append(" (?, ?)");
            params.add(after.get().createdAt());
            params.add(after.get().listSeq());
        }
        sql.append(' ').append(order).append(" LIMIT ?) page ").append(order);
        params.add(limit + 1);
        List<JobView> jobs = new ArrayList<>();
        boolean more = query(sql.toString(), params.toArray(), row -> {
            if (jobs.size() == limit || !(Boolean) row.apply(15)) {
                return false;
            }
            jobs.add(JobReads.view(row));
            return true;
        });
        return new Page(jobs, more);
    }

    private List<JobView> views(String sql, Object... params) {
        List<JobView> views = new ArrayList<>();
        query(sql, params, row -> views.add(JobReads.view(row)));
        return views;
    }

    /**
     * Runs {@code sql} and hands each row (its columns by index, from 0) to {@code each} until it answers false;
     * returns whether it did (a row was left).
     */
    private boolean query(String sql, Object[] params, Predicate<IntFunction<Object>> each) {
        try (Connection c = connection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                Object[] row = new Object[rs.getMetaData().getColumnCount()];
                while (rs.next()) {
                    for (int i = 0; i < row.length; i++) {
                        row[i] = rs.getObject(i + 1);
                    }
                    if (!each.test(i -> row[i])) {
                        return true;
                    }
                }
            }
            return false;
        } catch (SQLException e) {
            throw new PersistenceException("could not read jobs: " + e.getMessage(), e);
        }
    }

    /**
     * The list place of job {@code id} of {@code kind}, when {@code owner} is empty (no inbound keys: every job is
     * visible) or owns it.
     */
    Optional<JobCursor> place(String id, JobKind kind, Optional<String> owner) {
        return placeIn("jobs", id, kind, owner, OptionalLong.empty());
    }

    /**
     * Deletes job {@code id} and keeps its place in its owner's list (see {@link #deletedPlace}), in one statement;
     * false when there was no such row (a concurrent DELETE took it first).
     */
    boolean delete(String id, long nowSeconds) {
        try (Connection c = connection(); PreparedStatement ps = c.prepareStatement("WITH gone AS (DELETE FROM jobs "
                + "WHERE local_id = ? RETURNING local_id, kind, owner_key_hash, created_at, list_seq) "
                + keepPlaces("?"))) {
            ps.setString(1, id);
            ps.setLong(2, nowSeconds);
            return ps.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new PersistenceException("could not delete the job: " + e.getMessage(), e);
        }
    }

    /**
     * The list place ({@code created_at}, {@code list_seq}) of job {@code id} of {@code kind}, deleted within the last
     * {@link #PLACE_KEPT_SECONDS} before {@code nowSeconds}, when {@code owner} is empty (no inbound keys: every job is
     * visible) or owned it.
     */
    Optional<JobCursor> deletedPlace(String id, JobKind kind, Optional<String> owner, long nowSeconds) {
        return placeIn("deleted_jobs", id, kind, owner, OptionalLong.of(nowSeconds - PLACE_KEPT_SECONDS));
    }

    /** The place of {@code id} in {@code table}: {@code jobs}, or {@code deleted_jobs} when deleted after a time. */
    private Optional<JobCursor> placeIn(String table, String id, JobKind kind, Optional<String> owner,
            OptionalLong deletedAfter) {
        if (!JobIds.storable(id)) {
            return Optional.empty();
        }
        String sql = "SELECT created_at, list_seq FROM " + table + " WHERE local_id = ? AND kind = ? AND (? OR "
                + "owner_key_hash = ?)" + (deletedAfter.isPresent() ? " AND deleted_at > ?" : "");
        try (Connection c = connection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, id);
            ps.setString(2, kind.stored());
            ps.setBoolean(3, owner.isEmpty());
            ps.setString(4, owner.orElse(""));
            if (deletedAfter.isPresent()) {
                ps.setLong(5, deletedAfter.getAsLong());
            }
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(new JobCursor(id, rs.getLong(1), rs.getLong(2))) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new PersistenceException("could not read jobs: " + e.getMessage(), e);
        }
    }

    /**
     * Leases up to {@code limit} due, unfinished jobs whose lease is free or expired to {@code owner} until
     * {@code leaseUntil}, longest due first; concurrent workers skip each other's locked rows. One autocommitted JDBC
     * statement (JPQL has neither {@code SKIP LOCKED} in a subquery nor {@code RETURNING}, and a paced worker claims a
     * few jobs many times a second), served by {@code jobs_due_idx}. No index names the lease's columns, so the claim
     * is an in-place (HOT) update that adds no index entries and leaves no dead version for reads to step over (see
     * {@code V3__in_place_claims.sql}); the price is that the jobs in flight, leased but still due, are read and
     * skipped. Returns the leased rows as detached {@link Job}s holding the columns the worker reads.
     * <p>
     * A submit needs its job's request body, which may hold reference images of up to 20 MiB each: pending jobs are
     * leased only while the stored sizes of their bodies add up to at most {@code bodyBudget} bytes (in their due
     * order), and the first one whatever its size when {@code oneAnyway} (none of the worker's submits is in
     * flight); the rest stay due for a later claim. Polls need no body and are not held back; their rows come without
     * it.
     */
    List<Job> claim(String owner, long nowMs, long leaseUntil, int limit, long bodyBudget, boolean oneAnyway) {
        try (Connection c = connection(); PreparedStatement ps = c.prepareStatement(CLAIM)) {
            ps.setLong(1, nowMs);
            ps.setLong(2, nowMs);
            ps.setInt(3, limit);
            ps.setString(4, owner);
            ps.setLong(5, leaseUntil);
            ps.setLong(6, nowMs);
            ps.setLong(7, bodyBudget);
            ps.setBoolean(8, oneAnyway);
            List<Job> jobs = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    jobs.add(claimed(rs));
                }
            }
            return jobs;
        } catch (SQLException e) {
            throw new PersistenceException("could not claim jobs: " + e.getMessage(), e);
        }
    }

    /** A claimed row as a detached {@link Job} holding what the worker reads (the columns {@link #CLAIM} returns). */
    private static Job claimed(ResultSet rs) throws SQLException {
        Job job = new Job();
        job.id = rs.getString("local_id");
        job.kind = JobKind.fromStored(rs.getString("kind"));
        job.vendorPath = rs.getString("vendor_path");
        job.vendorTaskId = rs.getString("vendor_task_id");
        job.createdAt = rs.getLong("created_at");
        job.submittedAt = rs.getLong("submitted_at");
        job.submitState = rs.getString("submit_state");
        job.requestBody = rs.getString("request_body");
        job.pollIntervalMs = rs.getLong("poll_interval_ms");
        return job;
    }

    /**
     * {@code pending} → {@code submitting} for those of {@code ids} still leased to {@code owner} and still pending,
     * in one autocommitted statement: it has committed when this returns, before any of their submits is sent.
     * Returns the ids it marked; only those may be submitted.
     */
    Set<String> markSubmitting(List<String> ids, String owner, long nowMs) {
        if (ids.isEmpty()) {
            return Set.of();
        }
        try (Connection c = connection(); PreparedStatement ps = c.prepareStatement("UPDATE jobs SET "
                + "submit_state = 'submitting', submit_attempts = submit_attempts + 1, updated_at = ? "
                + "WHERE local_id = ANY(?) AND lease_owner = ? AND submit_state = 'pending' RETURNING local_id")) {
            ps.setLong(1, nowMs);
            ps.setArray(2, c.createArrayOf("text", ids.toArray()));
            ps.setString(3, owner);
            Set<String> marked = new HashSet<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    marked.add(rs.getString(1));
                }
            }
            return marked;
        } catch (SQLException e) {
            throw new PersistenceException("could not mark jobs submitting: " + e.getMessage(), e);
        }
    }

    /** Records {@code transition}; false if the lease was lost (then nothing changed). */
    boolean record(JobTransition transition) {
        try {
            return record(List.of(transition))[0];
        } catch (SQLException e) {
            throw new PersistenceException("could not record " + transition + ": " + e.getMessage(), e);
        }
    }

    /**
     * Records {@code transitions} in one transaction (one statement per kind, sent as a JDBC batch), and tells for
     * each whether it applied (false: the lease was lost, nothing changed). A failure of any of them rolls back all
     * and is thrown. A single transition is one autocommitted statement.
     */
    boolean[] record(List<? extends JobTransition> transitions) throws SQLException {
        boolean[] applied = new boolean[transitions.size()];
        if (transitions.size() == 1) {
            try (Connection c = connection(); PreparedStatement ps = c.prepareStatement(transitions.get(0).sql())) {
                transitions.get(0).bind(ps);
                applied[0] = ps.executeUpdate() == 1;
            }
            return applied;
        }
        Map<String, List<Integer>> byStatement = new LinkedHashMap<>();
        for (int i = 0; i < transitions.size(); i++) {
            byStatement.computeIfAbsent(transitions.get(i).sql(), sql -> new ArrayList<>()).add(i);
        }
        try (Connection c = connection()) {
            c.setAutoCommit(false);
            try {
                for (Map.Entry<String, List<Integer>> statement : byStatement.entrySet()) {
                    try (PreparedStatement ps = c.prepareStatement(statement.getKey())) {
                        for (int i : statement.getValue()) {
                            transitions.get(i).bind(ps);
                            ps.addBatch();
                        }
                        int[] counts = ps.executeBatch();
                        for (int k = 0; k < counts.length; k++) {
                            applied[statement.getValue().get(k)] = counts[k] == 1;
                        }
                    }
                }
                c.commit();
            } catch (SQLException | RuntimeException e) {
                try {
                    c.rollback();
                } catch (SQLException rollback) {
                    e.addSuppressed(rollback);
                }
                throw e;
            }
            // the pool restores auto-commit when the connection goes back
        }
        return applied;
    }

    /** A pooled connection; failing to get one is a {@link SQLTransientConnectionException} (nothing was sent). */
    private Connection connection() throws SQLTransientConnectionException {
        try {
            return dataSource.getConnection();
        } catch (SQLException e) {
            throw new SQLTransientConnectionException("no database connection: " + e.getMessage(), e.getSQLState(), e);
        }
    }

    /**
     * Hands back every lease {@code owner} holds, at shutdown, so another replica resumes those jobs at once
     * instead of after the lease. Jobs whose submit may be in flight keep theirs: their outcome is unknown.
     */
    @Transactional
    int releaseAll(String owner, long nowMs) {
        return Job.update("leaseOwner = null, leaseExpiresAt = 0, updatedAt = :now where leaseOwner = :owner "
                + "and submitState <> 'submitting'",
                Parameters.with("owner", owner).and("now", nowMs));
    }

    /**
     * The spec §5.3 predicate, run only by the replica that gets the transaction-scoped advisory lock (others
     * delete nothing this round): rows with {@code expires_at > 0} that are terminal and expired at {@code now}, or
     * expired at {@code hardCutoff} (when positive) whatever their status. One native statement, so taking the lock
     * and deleting cannot be split.
     */
    @Transactional
    int deleteExpired(long now, long hardCutoff) {
        return Job.getEntityManager().createNativeQuery("WITH reaper AS (SELECT pg_try_advisory_xact_lock(:lock) "
                + "AS locked), gone AS (DELETE FROM jobs USING reaper WHERE reaper.locked AND expires_at > 0 AND "
                + "((status IN ('completed', 'failed') AND expires_at <= :now) OR (:cutoff > 0 AND expires_at <= "
                + ":cutoff)) RETURNING local_id, kind, owner_key_hash, created_at, list_seq) "
                + keepPlaces(":now"))
                .setParameter("lock", REAPER_LOCK).setParameter("now", now).setParameter("cutoff", hardCutoff)
                .executeUpdate();
    }

    /**
     * The statement that keeps the places of the rows a {@code gone} CTE deleted (see {@link #deletedPlace}), deleted
     * at {@code deletedAt}, a parameter's mark.
     */
    private static String keepPlaces(String deletedAt) {
        return "INSERT INTO deleted_jobs (local_id, kind, owner_key_hash, created_at, list_seq, deleted_at) SELECT "
                + "local_id, kind, owner_key_hash, created_at, list_seq, " + deletedAt + " FROM gone ON CONFLICT "
                + "(local_id) DO UPDATE SET kind = EXCLUDED.kind, owner_key_hash = EXCLUDED.owner_key_hash, "
                + "created_at = EXCLUDED.created_at, list_seq = EXCLUDED.list_seq, deleted_at = EXCLUDED.deleted_at";
    }

    /**
     * Forgets the places of jobs deleted {@link #PLACE_KEPT_SECONDS} or longer before {@code now}, when this replica
     * gets the reaper's lock; returns how many.
     */
    @Transactional
    int forgetDeletedPlaces(long now) {
        return Job.getEntityManager().createNativeQuery("WITH reaper AS (SELECT pg_try_advisory_xact_lock(:lock) "
                + "AS locked) DELETE FROM deleted_jobs USING reaper WHERE reaper.locked AND deleted_at <= :cutoff")
                .setParameter("lock", REAPER_LOCK).setParameter("cutoff", now - PLACE_KEPT_SECONDS).executeUpdate();
    }

    /** Whether {@code e} was caused by a violation of the constraint or unique index {@code name}. */
    static boolean violates(Throwable e, String name) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConstraintViolationException violation && name.equals(violation.getConstraintName())) {
                return true;
            }
        }
        return false;
    }

    /** The database's own message for a failed store call (routes answer it as {@code 500 store: …}). */
    static String describe(PersistenceException e) {
        String message = e.getMessage();
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && sql.getMessage() != null) {
                message = sql.getMessage();
            }
        }
        return message;
    }
}
