package dev.cli2api.credentials;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/** A MuleRun OAuth host on a real loopback port that answers both OAuth calls as told and counts them. */
public final class FakeOAuthServer implements AutoCloseable {

    public static final String EXCHANGED_MUK = "muk-exchanged-0001";
    static final String REFRESHED_JWT = CredentialFiles.jwt("refreshed");
    static final String ROTATED_REFRESH_TOKEN = "rt-rotated-0002";

    /** One request as the server saw it. */
    public record Received(String method, String path, Map<String, List<String>> headers, String body) {

        String header(String name) {
            return headers.entrySet().stream()
                    .filter(e -> e.getKey().equalsIgnoreCase(name))
                    .findFirst()
                    .map(e -> e.getValue().get(0))
                    .orElse(null);
        }
    }

    private record Reply(int status, String body) {
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final List<Received> exchanges = new CopyOnWriteArrayList<>();
    private final List<Received> refreshes = new CopyOnWriteArrayList<>();
    private volatile Reply exchangeReply = new Reply(200,
            "{\"code\":\"SUCCESS\",\"data\":{\"key\":\"" + EXCHANGED_MUK + "\"}}");
    private volatile Reply refreshReply = new Reply(200, "{\"access_token\":\"" + REFRESHED_JWT
            + "\",\"refresh_token\":\"" + ROTATED_REFRESH_TOKEN + "\",\"expires_in\":3600,\"token_type\":\"Bearer\"}");
    private volatile Duration delay = Duration.ZERO;

    private FakeOAuthServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext(OAuthClient.EXCHANGE_PATH, exchange -> answer(exchange, exchanges, exchangeReply));
        server.createContext(OAuthClient.TOKEN_PATH, exchange -> answer(exchange, refreshes, refreshReply));
        server.setExecutor(executor);
        server.start();
    }

    public static FakeOAuthServer start() {
        try {
            return new FakeOAuthServer();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the fake OAuth server", e);
        }
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    FakeOAuthServer exchangeReplies(int status, String body) {
        exchangeReply = new Reply(status, body);
        return this;
    }

    FakeOAuthServer exchangeReturnsKey(String key) {
        return exchangeReplies(200, "{\"code\":\"SUCCESS\",\"data\":{\"key\":\"" + key + "\"}}");
    }

    FakeOAuthServer refreshReplies(int status, String body) {
        refreshReply = new Reply(status, body);
        return this;
    }

    /** Every answer waits this long first (widens race windows; exceeds client timeouts). */
    FakeOAuthServer delayAnswers(Duration delay) {
        this.delay = delay;
        return this;
    }

    public List<Received> exchanges() {
        return List.copyOf(exchanges);
    }

    public List<Received> refreshes() {
        return List.copyOf(refreshes);
    }

    int calls() {
        return exchanges.size() + refreshes.size();
    }

    private void answer(HttpExchange exchange, List<Received> log, Reply reply) throws IOException {
        try (exchange) {
            String body;
            try (InputStream in = exchange.getRequestBody()) {
                body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            log.add(new Received(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                    Map.copyOf(exchange.getRequestHeaders()), body));
            if (!delay.isZero()) {
                try {
                    Thread.sleep(delay.toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            byte[] bytes = reply.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(reply.status(), bytes.length == 0 ? -1 : bytes.length);
            if (bytes.length > 0) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(bytes);
                }
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
