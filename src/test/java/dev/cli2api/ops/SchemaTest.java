package dev.cli2api.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import javax.sql.DataSource;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;

/** The migrated schema accepts the reference's direct insert and enforces the job state vocabulary. */
@QuarkusTest
class SchemaTest {

    @Inject
    DataSource dataSource;

    @AfterEach
    void cleanUp() throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.executeUpdate("DELETE FROM jobs WHERE local_id LIKE 'video_schematest%'");
        }
    }

    @Test
    void flywayDoesNotLogTheJdbcUrl() {
        // a regression: its "Database: <JDBC URL>" line showed an sslpassword, which its redaction misses
        assertFalse(java.util.logging.Logger.getLogger("org.flywaydb.core.FlywayExecutor")
                .isLoggable(java.util.logging.Level.INFO));
    }

    @Test
    void referenceStyleInsertGetsDefaultsForEveryOtherColumn() throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.executeUpdate("INSERT INTO jobs (local_id, kind, model, vendor_path, vendor_task_id, created_at, status, "
                    + "result_urls, expires_at) VALUES ('video_schematest1', 'video', 'sora-2', "
                    + "'/vendors/openai/v1/sora-2/generation', 't1', 1, 'completed', '[]', 1)");
            try (ResultSet rs = s.executeQuery("SELECT completed_at, err_code, err_message, submit_state, "
                    + "next_run_at, owner_key_hash, idempotency_key FROM jobs WHERE local_id = 'video_schematest1'")) {
                assertTrue(rs.next());
                assertEquals(0, rs.getLong("completed_at"));
                assertEquals(0, rs.getInt("err_code"));
                assertEquals("", rs.getString("err_message"));
                assertEquals("pending", rs.getString("submit_state"));
                assertEquals(0, rs.getLong("next_run_at"));
                assertEquals("", rs.getString("owner_key_hash"));
                assertEquals(null, rs.getString("idempotency_key"));
            }
        }
    }

    @Test
    void onlyTheFourClientStatusesAndTwoKindsAreStorable() throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            assertThrows(SQLException.class, () -> s.executeUpdate("INSERT INTO jobs (local_id, kind, model, vendor_path, "
                    + "created_at, status) VALUES ('video_schematest2', 'video', 'm', '/p', 1, 'processing')"));
            assertThrows(SQLException.class, () -> s.executeUpdate("INSERT INTO jobs (local_id, kind, model, vendor_path, "
                    + "created_at) VALUES ('video_schematest3', 'image', 'm', '/p', 1)"));
        }
    }

    @Test
    void anIdempotencyKeyIsUniquePerOwnerAndKind() throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            String insert = "INSERT INTO jobs (local_id, kind, model, vendor_path, created_at, owner_key_hash, "
                    + "idempotency_key) VALUES ('%s', 'video', 'm', '/p', 1, '%s', 'k1')";
            s.executeUpdate(insert.formatted("video_schematest4", "owner-a"));
            s.executeUpdate(insert.formatted("video_schematest5", "owner-b"));
            assertThrows(SQLException.class, () -> s.executeUpdate(insert.formatted("video_schematest6", "owner-a")));
        }
    }
}
