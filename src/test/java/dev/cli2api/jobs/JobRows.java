package dev.cli2api.jobs;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import javax.sql.DataSource;

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
        Map<String, Object> values = new TreeMap<>(Map.of("local_id", id, "kind", "video", "model", "sora-2",
                "vendor_path", "/vendors/openai/v1/sora-2/generation", "created_at", System.currentTimeMillis() / 1000));
        values.putAll(columns);
        String names = String.join(", ", values.keySet());
        String marks = String.join(", ", values.keySet().stream()
                .map(k -> k.equals("request_body") ? "?::jsonb" : "?").toList());
        execute("INSERT INTO jobs (" + names + ") VALUES (" + marks + ")", values.values().toArray());
        track(id);
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

    void deleteCreated() {
        execute("DELETE FROM jobs WHERE local_id = ANY(?)", (Object) created.toArray(new String[0]));
        created.clear();
    }

    private void execute(String sql, Object... params) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                if (params[i] instanceof String[] array) {
                    ps.setArray(i + 1, c.createArrayOf("text", array));
                } else {
                    ps.setObject(i + 1, params[i]);
                }
            }
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
