package dev.cli2api.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;

/** The relay's one retry after an upstream 401, with and without a renewed credential. */
class UpstreamRelayTest {

    private Vertx vertx;
    private final List<String> seenAuthorizations = new CopyOnWriteArrayList<>();
    private int upstreamPort;

    @BeforeEach
    void startUpstream() throws Exception {
        vertx = Vertx.vertx();
        HttpServer server = vertx.createHttpServer().requestHandler(request -> request.body().onSuccess(body -> {
            String authorization = request.getHeader("Authorization");
            seenAuthorizations.add(authorization);
            boolean fresh = "Bearer fresh".equals(authorization);
            request.response().setStatusCode(fresh ? 200 : 401).end(fresh ? "ok:" + body : "expired");
        }));
        upstreamPort = await(server.listen(0, "127.0.0.1")).actualPort();
    }

    @AfterEach
    void stop() throws Exception {
        await(vertx.close());
    }

    private static <T> T await(Future<T> future) throws Exception {
        return FakeUpstream.await(future);
    }

    private HttpResponse<String> callThroughRelay(UpstreamRelay.Reauthorization reauthorization) throws Exception {
        UpstreamRelay relay = new UpstreamRelay(vertx);
        Router router = Router.router(vertx);
        router.post("/relay").handler(rc -> {
            MultiMap headers = MultiMap.caseInsensitiveMultiMap().add("Authorization", "Bearer stale");
            relay.relay(rc, "http://127.0.0.1:" + upstreamPort + "/up", headers, "{}".getBytes(), reauthorization);
        });
        int port = await(vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1")).actualPort();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/relay"))
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build();
        return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void renewedCredentialIsTriedOnceAfter401() throws Exception {
        HttpResponse<String> response = callThroughRelay(headers -> {
            headers.set("Authorization", "Bearer fresh");
            return Future.succeededFuture(true);
        });
        assertEquals(200, response.statusCode());
        assertEquals("ok:{}", response.body());
        assertEquals(List.of("Bearer stale", "Bearer fresh"), seenAuthorizations);
    }

    @Test
    void withoutRenewalThe401IsPassedThrough() throws Exception {
        HttpResponse<String> response = callThroughRelay(headers -> Future.succeededFuture(false));
        assertEquals(401, response.statusCode());
        assertEquals("expired", response.body());
        assertEquals(List.of("Bearer stale"), seenAuthorizations);
    }

    @Test
    void failedRenewalAlsoPassesThe401Through() throws Exception {
        HttpResponse<String> response = callThroughRelay(headers -> Future.failedFuture("refresh failed"));
        assertEquals(401, response.statusCode());
        assertEquals(List.of("Bearer stale"), seenAuthorizations);
    }
}
