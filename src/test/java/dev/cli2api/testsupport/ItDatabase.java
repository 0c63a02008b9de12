package dev.cli2api.testsupport;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

/**
 * The databases of the integration tests ({@code *IT}) that run the packaged service: each its own, named after the
 * test database ({@code _TEST_QUARKUS_DATASOURCE_JDBC_URL}, else {@code cli2api_test}) with a suffix, reached with
 * the datasource credentials of this build's environment.
 */
public final class ItDatabase {

    private static final String DEFAULT_TEST_DB = "jdbc:postgresql://127.0.0.1:5432/cli2api_test";

    private ItDatabase() {
    }

    /** The test database's URL with {@code suffix} appended to the database name (its parameters kept). */
    public static String url(String suffix) {
        String testUrl = System.getenv().getOrDefault("_TEST_QUARKUS_DATASOURCE_JDBC_URL", DEFAULT_TEST_DB);
        return withoutParameters(testUrl) + suffix + parameters(testUrl);
    }

    /** {@code url} naming the server's {@code postgres} maintenance database instead of its own. */
    public static String maintenanceUrl(String url) {
        String base = withoutParameters(url);
        return base.substring(0, base.lastIndexOf('/') + 1) + "postgres" + parameters(url);
    }

    /** The database name {@code url} names. */
    public static String name(String url) {
        String base = withoutParameters(url);
        return base.substring(base.lastIndexOf('/') + 1);
    }

    private static String withoutParameters(String url) {
        int query = url.indexOf('?');
        return query < 0 ? url : url.substring(0, query);
    }

    private static String parameters(String url) {
        int query = url.indexOf('?');
        return query < 0 ? "" : url.substring(query);
    }

    /** The JDBC connection properties for the datasource credentials (user {@code postgres} by default). */
    public static Properties credentials() {
        Properties props = new Properties();
        props.setProperty("user", System.getenv().getOrDefault("QUARKUS_DATASOURCE_USERNAME", "postgres"));
        String password = System.getenv("QUARKUS_DATASOURCE_PASSWORD");
        if (password != null) {
            props.setProperty("password", password);
        }
        return props;
    }

    /** {@link #url} of a database that does not exist (dropped if an earlier run left it). */
    public static String dropped(String suffix) throws SQLException {
        String url = url(suffix);
        try (Connection c = DriverManager.getConnection(maintenanceUrl(url), credentials());
                Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + name(url) + " WITH (FORCE)");
        }
        return url;
    }

    /**
     * The environment of a packaged service on database {@code url} with upstream token {@code token}, a small pool,
     * no sandbox and no worker (the API alone), with this build's datasource credentials.
     */
    public static Map<String, String> apiOnly(String url, String token) {
        Map<String, String> env = new HashMap<>();
        env.put("QUARKUS_DATASOURCE_JDBC_URL", url);
        env.put("QUARKUS_DATASOURCE_JDBC_MAX_SIZE", "5");
        env.put("CLI2API_SANDBOX", "false");
        env.put("MULERUN_TOKEN", token);
        env.put("CLI2API_WORKER_INTERVAL", "0");
        passCredentials(env);
        return env;
    }

    /** Passes the datasource credentials this build was given on to a child service's environment. */
    public static void passCredentials(Map<String, String> env) {
        for (String credential : new String[] { "QUARKUS_DATASOURCE_USERNAME", "QUARKUS_DATASOURCE_PASSWORD" }) {
            String value = System.getenv(credential);
            if (value != null) {
                env.put(credential, value);
            }
        }
    }
}
