package dev.cli2api.ops;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.flywaydb.core.Flyway;
import org.jboss.logging.Logger;

import dev.cli2api.config.Cli2ApiConfig;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

/**
 * Makes the database ready before anything uses it: creates the configured PostgreSQL database
 * when it does not exist yet (so a fresh machine needs no setup step), then applies the Flyway
 * migrations. Runs first among the startup observers; a failure stops startup.
 */
@Singleton
public class DatabaseBootstrap {

    private static final Logger LOG = Logger.getLogger(DatabaseBootstrap.class);
    private static final Pattern PG_URL = Pattern.compile("^(jdbc:postgresql://[^/?]*/)([^?]*)(\\?.*)?$");
    /** Runs before every other startup observer of the application. */
    static final int PRIORITY = 0;

    private final Flyway flyway;
    private final Cli2ApiConfig config;
    private final String jdbcUrl;
    private final Optional<String> username;
    private final Optional<String> password;

    public DatabaseBootstrap(Flyway flyway, Cli2ApiConfig config,
            @ConfigProperty(name = "quarkus.datasource.jdbc.url") String jdbcUrl,
            @ConfigProperty(name = "quarkus.datasource.username") Optional<String> username,
            @ConfigProperty(name = "quarkus.datasource.password") Optional<String> password) {
        this.flyway = flyway;
        this.config = config;
        this.jdbcUrl = jdbcUrl;
        this.username = username;
        this.password = password;
    }

    void onStart(@Observes @Priority(PRIORITY) StartupEvent event) {
        if (config.database().create()) {
            createDatabaseIfMissing();
        }
        var result = flyway.migrate();
        LOG.infof("database ready: schema version %s (%d migration(s) applied)",
                flyway.info().current() == null ? "none" : flyway.info().current().getVersion(),
                result.migrationsExecuted);
    }

    private void createDatabaseIfMissing() {
        Matcher m = PG_URL.matcher(jdbcUrl);
        if (!m.matches() || m.group(2).isEmpty() || m.group(2).equals("postgres")) {
            return;
        }
        String database = m.group(2);
        String maintenanceUrl = m.group(1) + "postgres" + (m.group(3) == null ? "" : m.group(3));
        Properties props = new Properties();
        username.ifPresent(u -> props.setProperty("user", u));
        password.ifPresent(p -> props.setProperty("password", p));
        try (Connection c = DriverManager.getConnection(maintenanceUrl, props)) {
            if (exists(c, database)) {
                return;
            }
            try (Statement s = c.createStatement()) {
                s.execute("CREATE DATABASE " + quoteIdentifier(database));
                LOG.infof("created database %s", database);
            }
        } catch (SQLException e) {
            if ("42P04".equals(e.getSQLState())) {
                return; // another replica created it a moment ago
            }
            // Not fatal here: the migration below reports the real problem if the database is missing.
            LOG.warnf("could not check or create database %s (%s); create it yourself or set CLI2API_DATABASE_CREATE=false",
                    database, e.getMessage());
        }
    }

    private static boolean exists(Connection c, String database) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
            ps.setString(1, database);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    static String quoteIdentifier(String name) {
        return "\"" + name.replace("\"", "\"\"") + "\"";
    }
}
