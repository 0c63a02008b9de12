package dev.cli2api.jobs;

import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import javax.sql.DataSource;

import io.micrometer.core.instrument.MeterRegistry;

/**
 * Direct access to the {@code jobs} table for tests: inserts rows in a given state, reads columns, and deletes
 * only the rows a test created (other builds may share the test database).
 */
final class JobRows {

    private final DataSource dataSource;
    private final List<String> created = new ArrayList<>();

    JobRows(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Remembers an id created through the API, so {@link #deleteCreated} removes it. */
    String track(String id) {
        created.add(id);
        return id;
    }

    /** Inserts a job with the given columns (defaults for the rest) and tracks it. */
    void insert(String id, Map<String, Object> columns) {
        try (Connection c = dataSource.getConnection()) {
            insert(c, id, columns);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Like {@link #insert(String, Map)}, on the caller's connection (and so in its transaction, if one is open). */
    void insert(Connection c, String id, Map<String, Object> columns) throws SQLException {
        Map<String, Object> values = new TreeMap<>(Map.of("local_id", id, "kind", "video", "model", "sora-2",
                "vendor_path", "/vendors/openai/v1/sora-2/generation", "created_at", System.currentTimeMillis() / 1000));
        values.putAll(columns);
        String names = String.join(", ", values.keySet());
        String marks = String.join(", ", values.keySet().stream()
                .map(k -> k.equals("request_body") || k.equals("request_echo") ? "?::jsonb" : "?").toList());
        track(id);
        execute(c, "INSERT INTO jobs (" + names + ") VALUES (" + marks + ")", values.values().toArray());
    }

    /** The unix second job {@code id} was deleted at, as its kept list place says; empty when none is kept. */
    String deletedAt(String id) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT deleted_at::text FROM deleted_jobs WHERE local_id = ?")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : "";
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    boolean exists(String id) {
        return !column(id, "local_id").isEmpty();
    }

    /** One column of one row as text, or empty when the row is gone. */
    String column(String id, String column) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT " + column + "::text FROM jobs WHERE local_id = ?")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : "";
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** How many rows {@code owner} has of {@code kind} with {@code idempotencyKey}. */
    int countWithIdempotencyKey(String owner, String kind, String idempotencyKey) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT count(*) FROM jobs WHERE owner_key_hash = ? AND kind = ? AND idempotency_key = ?")) {
            ps.setString(1, owner);
            ps.setString(2, kind);
            ps.setString(3, idempotencyKey);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Whether an insert into {@code jobs} in this database is waiting for another transaction's lock. */
    boolean insertWaitingOnALock() {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' "
                        + "AND query ILIKE 'insert into jobs%'");
                ResultSet rs = ps.executeQuery()) {
            return rs.next();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * {@link #deleteCreated}, then waits until the worker has no call in flight: a call it already sent for a deleted
     * job must not reach the fake upstream after the next test's reset (it counted as that test's second submit).
     */
    void deleteCreatedAndSettle(MeterRegistry registry) {
        deleteCreated();
        await().atMost(Duration.ofSeconds(10))
                .until(() -> registry.get("cli2api.worker.in_flight").gauge().value() == 0);
    }

    void deleteCreated() {
        try (Connection c = dataSource.getConnection()) {
            execute(c, "DELETE FROM jobs WHERE local_id = ANY(?)", (Object) created.toArray(new String[0]));
            execute(c, "DELETE FROM deleted_jobs WHERE local_id = ANY(?)", (Object) created.toArray(new String[0]));
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        created.clear();
    }

    private static void execute(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                if (params[i] instanceof String[] array) {
                    ps.setArray(i + 1, c.createArrayOf("text", array));
                } else {
                    ps.setObject(i + 1, params[i]);
                }
            }
            ps.executeUpdate();
        }
    }
}
