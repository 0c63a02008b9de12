package dev.cli2api.jobs;

import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.postgresql.Driver;

import io.netty.channel.EventLoop;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.impl.ContextInternal;
import io.vertx.core.impl.future.PromiseInternal;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.SslMode;
import io.vertx.sqlclient.Row;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The job GETs' read path: {@code GET /v1/videos/{id}} and {@code GET /v1/audio/music/{id}} are what SDK pollers
 * call in a loop, so they read the row on the event loop without blocking, through Vert.x' PostgreSQL client, instead
 * of taking a worker thread and a connection from the JDBC pool, which the job worker's writes share.
 *
 * <p>
 * Each event loop has one connection of its own and a {@link ReadBatcher} in front of it: the reads that arrive while
 * the loop's query is in flight go out together as the next query, so under load one round trip answers many GETs
 * and no read ever crosses to another thread. Off an event loop (a test, say) reads go through one fixed loop.
 * The connections are built from the same {@code quarkus.datasource.*} settings as the JDBC pool (host, port,
 * database, user, password, {@code sslmode}), so there is still one database URL to configure.
 */
@ApplicationScoped
public class JobReads {

    /** Ids per query at most; more waiting readers go out in the next one. */
    static final int MAX_BATCH = 256;
    /** A read not answered by then fails ({@code 500 store: …}) instead of leaving its GET waiting. */
    static final long TIMEOUT_MILLIS = 10_000;
    /**
     * The columns of a job's {@link JobView} in its order, the request echo's values picked out as JSON text (jsonb's
     * {@code ->}: null when the echo has no such field), and never the request body, which may hold tens of megabytes
     * of reference images.
     */
    static final String VIEW_COLUMNS = "SELECT local_id, kind, status, model, created_at, completed_at, expires_at, "
            + "result_urls, err_code, err_message, " + echoed("") + ", next_run_at, owner_key_hash FROM jobs";
    /** The request echo's prompt, seconds and size as JSON text, each named after itself plus {@code suffix}. */
    static String echoed(String suffix) {
        return "(request_echo -> 'prompt')::text AS prompt" + suffix + ", (request_echo -> 'seconds')::text AS seconds"
                + suffix + ", (request_echo -> 'size')::text AS size" + suffix;
    }

    /** {@link #VIEW_COLUMNS} of the jobs whose ids are in {@code $1}. */
    static final String SELECT = VIEW_COLUMNS + " WHERE local_id = ANY($1)";

    /** How the read connections name themselves to PostgreSQL ({@code pg_stat_activity.application_name}). */
    static final String APPLICATION_NAME = "cli2api-job-reads";
    /**
     * The read connections' Vert.x SQL client metrics: {@code cli2api_job_reads_processing_seconds} and the like,
     * tagged {@code clientName="job-reads-<n>"}, one per event loop (Quarkus reads {@code <prefix>|<client name>}
     * from the metrics name; without one they came out as {@code m__processing_seconds}, and the loops' gauges
     * collided, with a Micrometer WARN in every replica's log).
     */
    private static final String METRICS_PREFIX = "cli2api.job.reads";

    private final Vertx vertx;
    private final PgConnectOptions options;
    private final Map<EventLoop, ReadBatcher<JobView>> batchers = new ConcurrentHashMap<>();
    private final AtomicInteger loops = new AtomicInteger();
    private ContextInternal offLoop;
    private volatile boolean closed;

    JobReads(Vertx vertx, @ConfigProperty(name = "quarkus.datasource.jdbc.url") String jdbcUrl,
            @ConfigProperty(name = "quarkus.datasource.username") Optional<String> username,
            @ConfigProperty(name = "quarkus.datasource.password") Optional<String> password) {
        this.vertx = vertx;
        this.options = connectOptions(jdbcUrl, username, password);
    }

    /**
     * The Vert.x connect options equivalent to a pgjdbc URL plus the datasource's user and password: the first host
     * and its port, the database, {@code sslmode}, and {@code user}/{@code password} given in the URL when the
     * datasource names none. Other pgjdbc parameters are driver settings with no meaning here and are ignored.
     * <p>
     * The statement is prepared once per connection, and PostgreSQL would switch it to a generic plan after five
     * executions. Made while {@code jobs} is empty and has never been analyzed (a fresh deployment's first GETs), that
     * plan is a sequential scan, and it stays while the table grows until an ANALYZE or VACUUM of the table replaces it
     * (never, with autovacuum off): every GET would read the whole table. These connections run nothing but this
     * lookup by primary key, so they turn sequential scans off ({@code enable_seqscan=off}: the planner takes the
     * primary key whatever the statistics say) and plan the statement once, generically
     * ({@code plan_cache_mode=force_generic_plan}), instead of at every execution (which cost PostgreSQL about 4 µs
     * per GET under load).
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
                .setCachePreparedStatements(true)
                .setConnectTimeout((int) TIMEOUT_MILLIS)
                .addProperty("application_name", APPLICATION_NAME)
                .addProperty("plan_cache_mode", "force_generic_plan")
                .addProperty("enable_seqscan", "off");
        username.or(() -> Optional.ofNullable(parsed.getProperty("user"))).ifPresent(options::setUser);
        password.or(() -> Optional.ofNullable(parsed.getProperty("password"))).ifPresent(options::setPassword);
        String sslMode = parsed.getProperty("sslmode");
        if (sslMode != null) {
            options.setSslMode(SslMode.of(sslMode));
        }
        return options;
    }

    /**
     * The view of job {@code id}, if there is one (none for an id no row can hold, see {@link JobIds#storable}). A
     * plain Vert.x future, not a {@code Uni}: a poll's few callbacks need none of the context propagation Mutiny would
     * wrap around each of them.
     */
    Future<Optional<JobView>> find(String id) {
        if (closed) {
            return Future.failedFuture(ReadBatcher.shutDown());
        }
        if (!JobIds.storable(id)) {
            // no such row, and a query holding it would fail the whole batch it went out with
            return Future.succeededFuture(Optional.empty());
        }
        ContextInternal current = (ContextInternal) Vertx.currentContext();
        // on an event loop: answered on the caller's own (request) context, from its own loop's batcher
        boolean onLoop = current != null && current.isEventLoopContext() && current.nettyEventLoop().inEventLoop();
        ContextInternal loop = onLoop ? current : offLoop();
        PromiseInternal<Optional<JobView>> answer = loop.promise();
        if (onLoop) {
            batcherOf(loop).read(id, answer);
        } else {
            loop.runOnContext(ignored -> batcherOf(loop).read(id, answer));
        }
        return answer.future();
    }

    private ReadBatcher<JobView> batcherOf(ContextInternal context) {
        return batchers.computeIfAbsent(context.nettyEventLoop(),
                loop -> new ReadBatcher<>(vertx, context.unwrap(), metricsNamed(options, loops.getAndIncrement()),
                        SELECT, JobReads::view, MAX_BATCH, TIMEOUT_MILLIS));
    }

    /** {@code options} for the connection of the {@code n}th event loop to read, with its own metrics name. */
    private static PgConnectOptions metricsNamed(PgConnectOptions options, int n) {
        return new PgConnectOptions(options).setMetricsName(METRICS_PREFIX + "|job-reads-" + n);
    }

    private synchronized ContextInternal offLoop() {
        if (offLoop == null) {
            offLoop = (ContextInternal) vertx.getOrCreateContext();
        }
        return offLoop;
    }

    private static JobView view(Row row) {
        return view(row::getValue);
    }

    /**
     * The view in a row of {@link #VIEW_COLUMNS}, {@code column} giving the value of column {@code i} (from 0) as its
     * driver reads it (text as {@code String}, {@code bigint} and {@code integer} as numbers), so that the job GETs'
     * reads and {@link JobStore}'s map the columns in one place.
     */
    static JobView view(IntFunction<Object> column) {
        return new JobView(text(column, 0), JobKind.fromStored(text(column, 1)), text(column, 2), text(column, 3),
                number(column, 4), number(column, 5), number(column, 6), text(column, 7), (int) number(column, 8),
                text(column, 9), text(column, 10), text(column, 11), text(column, 12), number(column, 13),
                text(column, 14));
    }

    private static String text(IntFunction<Object> column, int i) {
        return (String) column.apply(i);
    }

    private static long number(IntFunction<Object> column, int i) {
        return ((Number) column.apply(i)).longValue();
    }

    @PreDestroy
    void close() {
        closed = true;
        batchers.values().forEach(ReadBatcher::close);
    }
}
