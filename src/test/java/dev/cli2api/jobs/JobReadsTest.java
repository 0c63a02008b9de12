package dev.cli2api.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.SslMode;

/** The read pool connects where the JDBC URL and the datasource's credentials say. */
class JobReadsTest {

    @Test
    void takesHostPortAndDatabaseFromTheJdbcUrl() {
        PgConnectOptions options = JobReads.connectOptions("jdbc:postgresql://db.internal:6543/cli2api",
                Optional.of("app"), Optional.of("s3cret"));
        assertEquals("db.internal", options.getHost());
        assertEquals(6543, options.getPort());
        assertEquals("cli2api", options.getDatabase());
        assertEquals("app", options.getUser());
        assertEquals("s3cret", options.getPassword());
        assertEquals(SslMode.DISABLE, options.getSslMode());
    }

    @Test
    void defaultsThePortAndUsesTheFirstOfSeveralHosts() {
        PgConnectOptions options = JobReads.connectOptions("jdbc:postgresql://primary,replica:5433/jobs",
                Optional.empty(), Optional.empty());
        assertEquals("primary", options.getHost());
        assertEquals(5432, options.getPort());
        assertEquals("jobs", options.getDatabase());
    }

    @Test
    void credentialsAndSslModeInTheUrlApplyWhenTheDatasourceNamesNone() {
        PgConnectOptions fromUrl = JobReads.connectOptions(
                "jdbc:postgresql://127.0.0.1/cli2api?user=url-user&password=url-pass&sslmode=require&ApplicationName=x",
                Optional.empty(), Optional.empty());
        assertEquals("url-user", fromUrl.getUser());
        assertEquals("url-pass", fromUrl.getPassword());
        assertEquals(SslMode.REQUIRE, fromUrl.getSslMode());

        PgConnectOptions configured = JobReads.connectOptions("jdbc:postgresql://127.0.0.1/cli2api?user=url-user",
                Optional.of("postgres"), Optional.empty());
        assertEquals("postgres", configured.getUser());
    }

    @Test
    void rejectsAUrlThatIsNotPostgres() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> JobReads.connectOptions("jdbc:mysql://127.0.0.1/cli2api", Optional.empty(), Optional.empty()));
        assertEquals("not a PostgreSQL JDBC URL: jdbc:mysql://127.0.0.1/cli2api", e.getMessage());
    }

    @Test
    void aReadThatCannotReachTheDatabaseIsTheSpecs500StoreError() throws Exception {
        io.vertx.core.Vertx vertx = io.vertx.core.Vertx.vertx();
        try {
            // nothing listens on port 1: the read fails fast with a refused connection
            JobReads reads = new JobReads(vertx, "jdbc:postgresql://127.0.0.1:1/cli2api", Optional.of("postgres"),
                    Optional.empty());
            JobService jobs = new JobService(null, reads, null, null, null);

            java.util.concurrent.ExecutionException failure = assertThrows(
                    java.util.concurrent.ExecutionException.class,
                    () -> jobs.visibleNow(null, JobKind.VIDEO, "video_abcdefghijklmnop").toCompletionStage()
                            .toCompletableFuture().get(30, java.util.concurrent.TimeUnit.SECONDS));
            dev.cli2api.api.ApiException error = assertInstanceOf(dev.cli2api.api.ApiException.class,
                    failure.getCause());
            assertEquals(500, error.status());
            assertEquals("internal_error", error.type());
            org.junit.jupiter.api.Assertions.assertTrue(error.getMessage().startsWith("store: "), error.getMessage());
            reads.close();
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get();
        }
    }
}
