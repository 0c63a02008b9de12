package bench;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.vertx.core.AbstractVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgConnection;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;

/**
 * The floor for {@code GET /v1/videos/{id}} on this machine: the least a server can do for that GET, measured side by
 * side with cli2api. One Vert.x HTTP server per event loop, each with one PostgreSQL connection that reads the
 * {@code jobs} row by id, coalescing the reads that arrive while a query is in flight into the next query (as
 * cli2api's job reads do), and answers the row's columns as a flat JSON object. No routing, no key check, no request
 * id, no access log, no usage record, no Videos API shape: what is left is HTTP, the read and the answer.
 * Usage: {@code FloorServer --port P --database D [--loops N]} (PostgreSQL on 127.0.0.1:5432, user postgres).
 */
public final class FloorServer extends AbstractVerticle {

    private static final String SQL = "SELECT local_id, kind, status, model, created_at, completed_at, expires_at, "
            + "result_urls, err_code, err_message, (request_echo -> 'prompt')::text, "
            + "(request_echo -> 'seconds')::text, (request_echo -> 'size')::text, next_run_at, owner_key_hash "
            + "FROM jobs WHERE local_id = ANY($1)";
    private static final String PREFIX = "/v1/videos/";

    private static int port;
    private static PgConnectOptions database;

    private record Reader(String id, HttpServerRequest request) {
    }

    private final ArrayDeque<Reader> waiting = new ArrayDeque<>();
    private PgConnection connection;
    private boolean busy;

    public static void main(String[] args) {
        Args a = new Args(args);
        port = a.integer("port", 18098);
        int loops = a.integer("loops", Math.max(2, Runtime.getRuntime().availableProcessors()));
        database = new PgConnectOptions().setHost("127.0.0.1").setPort(5432).setUser("postgres")
                .setDatabase(a.text("database", "cli2api_bench_jobs")).setCachePreparedStatements(true)
                .addProperty("plan_cache_mode", "force_generic_plan").addProperty("enable_seqscan", "off");
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(loops).setPreferNativeTransport(true));
        vertx.deployVerticle(FloorServer::new, new DeploymentOptions().setInstances(loops))
                .onFailure(e -> {
                    e.printStackTrace();
                    System.exit(1);
                });
    }

    @Override
    public void start(io.vertx.core.Promise<Void> started) {
        PgConnection.connect(vertx, database).compose(opened -> {
            connection = opened;
            return vertx.createHttpServer().requestHandler(this::handle).listen(port, "127.0.0.1");
        }).<Void> mapEmpty().onComplete(started);
    }

    private void handle(HttpServerRequest request) {
        String path = request.path();
        if (!path.startsWith(PREFIX)) {
            request.response().setStatusCode(404).end();
            return;
        }
        waiting.add(new Reader(path.substring(PREFIX.length()), request));
        if (!busy) {
            next();
        }
    }

    private void next() {
        if (waiting.isEmpty()) {
            busy = false;
            return;
        }
        busy = true;
        List<Reader> batch = new ArrayList<>(waiting);
        waiting.clear();
        String[] ids = new String[batch.size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = batch.get(i).id();
        }
        connection.preparedQuery(SQL).execute(Tuple.of(ids)).onComplete(result -> {
            if (result.failed()) {
                batch.forEach(r -> r.request().response().setStatusCode(500).end());
            } else {
                answer(batch, result.result());
            }
            next();
        });
    }

    private static void answer(List<Reader> batch, RowSet<Row> rows) {
        Map<String, Row> byId = new HashMap<>();
        for (Row row : rows) {
            byId.put(row.getString(0), row);
        }
        for (Reader reader : batch) {
            Row row = byId.get(reader.id());
            if (row == null) {
                reader.request().response().setStatusCode(404).end();
                continue;
            }
            StringBuilder json = new StringBuilder(512).append('{');
            for (int i = 0; i < row.size(); i++) {
                Object value = row.getValue(i);
                json.append(i == 0 ? "" : ",").append('"').append(row.getColumnName(i)).append("\":");
                json.append(value instanceof String s ? '"' + s.replace("\"", "\\\"") + '"' : String.valueOf(value));
            }
            reader.request().response().putHeader("Content-Type", "application/json")
                    .end(Buffer.buffer(json.append('}').toString()));
        }
    }
}
