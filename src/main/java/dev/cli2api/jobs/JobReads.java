package dev.cli2api.jobs;

import java.util.Optional;
import java.util.Properties;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.postgresql.Driver;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.vertx.UniHelper;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.SslMode;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The job GETs' read path: {@code GET /v1/videos/{id}} and {@code GET /v1/audio/music/{id}} are what SDK pollers
 * call in a loop, so they read the row on the event loop through a small non-blocking PostgreSQL pool of their own
 * (Vert.x' PostgreSQL client, prepared statement cached per connection, pipelined) instead of taking a worker thread
 * and a connection from the JDBC pool, which the job worker's writes share. The pool is built from the same
 * {@code quarkus.datasource.*} settings as the JDBC pool (host, port, database, user, password, {@code sslmode}),
 * so there is still one database URL to configure.
 */
@ApplicationScoped
public class JobReads {

    private static final Logger LOG = Logger.getLogger(JobReads.class);
    /** Connections of the read pool; each pipelines up to 256 queries, so a few serve thousands of GETs/s. */
    static final int POOL_SIZE = 4;
    /** The columns a job's client view needs (see {@link JobViews#render}); JSON columns as text. */
    private static final String SELECT = "SELECT local_id, kind, model, created_at, completed_at, expires_at, status, "
            + "result_urls, err_code, err_message, request_echo::text, next_run_at, owner_key_hash FROM jobs "
            + "WHERE local_id = $1";

    private final Pool pool;

    JobReads(Vertx vertx, @ConfigProperty(name = "quarkus.datasource.jdbc.url") String jdbcUrl,
            @ConfigProperty(name = "quarkus.datasource.username") Optional<String> username,
            @ConfigProperty(name = "quarkus.datasource.password") Optional<String> password) {
        this.pool = Pool.pool(vertx, connectOptions(jdbcUrl, username, password),
                new PoolOptions().setMaxSize(POOL_SIZE).setName("cli2api-job-reads"));
    }

    /**
     * The Vert.x connect options equivalent to a pgjdbc URL plus the datasource's user and password: the first host
     * and its port, the database, {@code sslmode}, and {@code user}/{@code password} given in the URL when the
     * datasource names none. Other pgjdbc parameters are driver settings with no meaning here and are ignored.
     */
    static PgConnectOptions connectOptions(String jdbcUrl, Optional<String> username, Optional<String> password) {
        Properties parsed = Driver.parseURL(jdbcUrl, new Properties());
        if (parsed == null) {
            throw new IllegalArgumentException("not a PostgreSQL JDBC URL: " + jdbcUrl);
        }
        PgConnectOptions options = new PgConnectOptions()
                .setHost(parsed.getProperty("PGHOST", "localhost").split(",")[0])
                .setPort(Integer.parseInt(parsed.getProperty("PGPORT", "5432").split(",")[0]))
                .setDatabase(parsed.getProperty("PGDBNAME", ""))
                .setCachePreparedStatements(true);
        username.or(() -> Optional.ofNullable(parsed.getProperty("user"))).ifPresent(options::setUser);
        password.or(() -> Optional.ofNullable(parsed.getProperty("password"))).ifPresent(options::setPassword);
        String sslMode = parsed.getProperty("sslmode");
        if (sslMode != null) {
            options.setSslMode(SslMode.of(sslMode));
        }
        return options;
    }

    /** The job {@code id} as a detached, read-only {@link Job} holding the columns its client view needs. */
    Uni<Optional<Job>> find(String id) {
        return UniHelper.toUni(pool.preparedQuery(SELECT).execute(Tuple.of(id)))
                .map(rows -> first(rows).map(JobReads::job));
    }

    private static Optional<Row> first(RowSet<Row> rows) {
        return rows.iterator().hasNext() ? Optional.of(rows.iterator().next()) : Optional.empty();
    }

    private static Job job(Row row) {
        Job job = new Job();
        job.id = row.getString(0);
        job.kind = JobKind.fromStored(row.getString(1));
        job.model = row.getString(2);
        job.createdAt = row.getLong(3);
        job.completedAt = row.getLong(4);
        job.expiresAt = row.getLong(5);
        job.status = row.getString(6);
        job.resultUrls = row.getString(7);
        job.errCode = row.getInteger(8);
        job.errMessage = row.getString(9);
        job.requestEcho = row.getString(10);
        job.nextRunAt = row.getLong(11);
        job.ownerKeyHash = row.getString(12);
        return job;
    }

    @PreDestroy
    void close() {
        pool.close().onFailure(e -> LOG.debugf("closing the job read pool: %s", e.getMessage()));
    }
}
