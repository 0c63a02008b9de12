package dev.cli2api.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.emptyString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import jakarta.inject.Inject;

import dev.cli2api.testsupport.RawHttp;
import dev.cli2api.testsupport.RecordedCalls;
import io.quarkus.test.junit.QuarkusTest;

/** The edge every request passes through, with inbound auth off (the default). */
@QuarkusTest
class EdgeTest {

    @ConfigProperty(name = "quarkus.http.test-port")
    int port;

    @Inject
    RecordedCalls calls;

    @Test
    void healthzAnswersPlainOkWithoutAuth() {
        given()
                .when().get("/healthz")
                .then()
                .statusCode(200)
                .contentType(containsString("text/plain"))
                .body(equalTo("ok"))
                .header("Access-Control-Allow-Origin", "*");
    }

    @Test
    void everyResponseCarriesCorsHeaders() {
        given()
                .when().get("/no/such/route")
                .then()
                .statusCode(404)
                .header("Access-Control-Allow-Origin", "*")
                .header("Access-Control-Allow-Methods", containsString("POST"))
                .header("Access-Control-Allow-Headers", containsString("anthropic-version"))
                // a regression: browser SDKs could not read the retry hints nor Anthropic's request id
                .header("Access-Control-Expose-Headers", equalTo("X-Request-Id, X-Upstream-Request-Id, request-id, "
                        + "openai-poll-after-ms, Retry-After, retry-after-ms, x-should-retry"));
    }

    @Test
    void preflightOnAnyPathIs204WithCorsHeaders() {
        given()
                .header("Origin", "https://app.example")
                .header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "authorization, content-type, x-stainless-os, x-stainless-brand-new")
                .when().options("/v1/chat/completions")
                .then()
                .statusCode(204)
                .body(emptyString())
                .header("Access-Control-Allow-Origin", "*")
                .header("Access-Control-Allow-Headers", containsString("X-Stainless-OS"))
                .header("Access-Control-Allow-Headers", containsString("x-stainless-brand-new"))
                .header("Access-Control-Allow-Headers", containsString("anthropic-dangerous-direct-browser-access"));
        given().when().options("/anything/at/all").then().statusCode(204);
    }

    @Test
    void unknownPathIsPlain404() {
        given()
                .when().get("/v1/embeddings")
                .then()
                .statusCode(404)
                .contentType(containsString("text/plain"))
                .body(equalTo("404 page not found"));
        given().when().get("/v1/models/").then().statusCode(404);
        given().when().get("/v1/models/gpt-5").then().statusCode(404);
    }

    @Test
    void anInvalidHostHeaderIsA400InTheRouteEnvelope() throws Exception {
        // a regression: Vert.x refused the request before the edge ran, and Quarkus answered its own error body
        // ({"details":"Error id …","stack":""}) without CORS headers or a request id
        for (String target : new String[] {"/v1/models", "/healthz"}) {
            String response = RawHttp.exchange(port, "GET " + target + " HTTP/1.1\nHost: x/\nConnection: close",
                    new byte[0]);
            assertTrue(response.startsWith("HTTP/1.1 400"), response);
            String lower = response.toLowerCase();
            assertTrue(lower.contains("content-type: application/json"), response);
            assertTrue(lower.contains("x-request-id: "), response);
            assertTrue(lower.contains("access-control-allow-origin: *"), response);
            assertTrue(response.contains("{\"error\":{\"message\":\"invalid Host header\","
                    + "\"type\":\"invalid_request_error\"}}"), response);
        }
        String missing = RawHttp.exchange(port, "GET /v1/models HTTP/1.1\nConnection: close", new byte[0]);
        assertTrue(missing.startsWith("HTTP/1.1 400") && missing.contains("invalid Host header"), missing);
        String anthropic = RawHttp.exchange(port, """
                POST /v1/messages HTTP/1.1
                Host: a b
                Connection: close
                Content-Type: application/json
                Content-Length: 2""", "{}".getBytes(StandardCharsets.UTF_8));
        assertTrue(anthropic.startsWith("HTTP/1.1 400"), anthropic);
        assertTrue(anthropic.contains("{\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\","
                + "\"message\":\"invalid Host header\"}}"), anthropic);
    }

    @Test
    void largeBodiesPastTheBudgetAreToldToComeBackAndTheBudgetComesBackWithTheirConnections() throws Exception {
        // one video request of 60 MB took most of a 512 MiB heap: bodies that could not all fit at once ran it out of
        // memory (500s) before this budget; here requests declare 64 MiB and send no body, holding their share
        java.util.List<java.net.Socket> held = new java.util.ArrayList<>();
        String refused = null;
        try {
            for (int i = 0; i < 12 && refused == null; i++) {
                java.net.Socket socket = new java.net.Socket("127.0.0.1", port);
                held.add(socket);
                socket.getOutputStream().write(("POST /v1/images/generations HTTP/1.1\r\nHost: localhost\r\n"
                        + "Content-Type: application/json\r\nContent-Length: 67108864\r\n\r\n")
                        .getBytes(StandardCharsets.ISO_8859_1));
                socket.setSoTimeout(3000);
                try {
                    byte[] answer = new byte[4096];
                    int n = socket.getInputStream().read(answer);
                    refused = n > 0 ? new String(answer, 0, n, StandardCharsets.ISO_8859_1) : "(closed)";
                } catch (java.net.SocketTimeoutException admitted) {
                    // waiting for its body: admitted and counted
                }
            }
            assertTrue(refused != null && refused.startsWith("HTTP/1.1 503"), String.valueOf(refused));
            assertTrue(held.size() > 1, "the first body always comes in");
            String lower = refused.toLowerCase();
            assertTrue(lower.contains("retry-after: 1") && lower.contains("retry-after-ms: 1000"), refused);
            assertTrue(refused.contains("\"type\":\"server_busy\""), refused);
        } finally {
            for (java.net.Socket socket : held) {
                socket.close();
            }
        }
        // their connections closed: the budget is back, and a body is read again
        byte[] body = new byte[2 * 1024 * 1024];
        java.util.Arrays.fill(body, (byte) 'x');
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).untilAsserted(() -> {
            String response = RawHttp.exchange(port, """
                    POST /v1/images/generations HTTP/1.1
                    Host: localhost
                    Content-Type: application/json
                    Content-Length: 2097152""", body);
            assertTrue(response.startsWith("HTTP/1.1 400") && response.contains("invalid JSON body"), response);
        });
    }

    @Test
    void wrongMethodIs405WithAllow() {
        given()
                .when().post("/healthz")
                .then()
                .statusCode(405)
                .header("Allow", "GET")
                .body(emptyString());
        given().when().head("/healthz").then().statusCode(405).header("Allow", "GET");
        given().when().delete("/v1/models").then().statusCode(405).header("Allow", "GET");
    }

    @Test
    void requestIdIsEchoedOrGenerated() {
        given()
                .header("X-Request-Id", "req-123")
                .when().get("/healthz")
                .then()
                .header("X-Request-Id", "req-123");
        given()
                .when().get("/healthz")
                .then()
                .header("X-Request-Id", matchesPattern("^[^/\\s]+/[A-Za-z0-9]{10}-\\d{6}$"));
        given()
                .header("X-Request-Id", "   ")
                .when().get("/healthz")
                .then()
                .header("X-Request-Id", matchesPattern("^[^/\\s]+/[A-Za-z0-9]{10}-\\d{6}$"));
    }

    @Test
    void bodyOverTheCapIsRejectedInTheRouteEnvelopeBeforeItIsRead() throws Exception {
        String response = RawHttp.exchange(port, """
                GET /v1/models HTTP/1.1
                Host: localhost
                Content-Type: application/json
                Content-Length: 67108865""", "{}".getBytes(StandardCharsets.UTF_8));
        assertTrue(response.startsWith("HTTP/1.1 413"), response);
        assertTrue(response.contains("\"type\":\"request_too_large\""), response);
        assertTrue(response.contains("request body too large (max 67108864 bytes)"), response);
        assertTrue(response.toLowerCase().contains("content-type: application/json"), response);
        // a GET of a route whose POST reads JSON or forms is no JSON body (it said "invalid JSON body")
        String list = RawHttp.exchange(port, """
                GET /v1/videos HTTP/1.1
                Host: localhost
                Content-Length: 67108865""", new byte[0]);
        assertTrue(list.startsWith("HTTP/1.1 413") && list.contains("request body too large (max 67108864 bytes)"),
                list);
        // a form to the job routes is no JSON body either: it says so as the image edits' form does
        for (String route : new String[] {"/v1/videos", "/v1/audio/music", "/v1/images/edits"}) {
            String form = RawHttp.exchange(port, "POST " + route + " HTTP/1.1\nHost: localhost\n"
                    + "Content-Type: multipart/form-data; boundary=x\nContent-Length: 67108865", new byte[0]);
            assertTrue(form.startsWith("HTTP/1.1 400") && form.contains(
                    "{\"error\":{\"message\":\"multipart: request body too large\",\"type\":\"invalid_request_error\"}}"),
                    route + ": " + form);
            String json = RawHttp.exchange(port, "POST " + route + " HTTP/1.1\nHost: localhost\n"
                    + "Content-Type: application/json\nContent-Length: 67108865", new byte[0]);
            assertTrue(json.startsWith("HTTP/1.1 400") && json.contains("invalid JSON body: http: request body too large"),
                    route + ": " + json);
        }
    }

    @Test
    void theEdgesOwnRefusalsOfAnApiCallAreRecordedForUsage() throws Exception {
        // a regression: refused at the edge after the key check, these calls had an access line but no usage record
        String[][] cases = {
            { "POST /v1/chat/completions", "application/json", "67108865", "413" },
            { "POST /v1/images/generations", "application/json", "67108865", "400" },
            { "POST /v1/videos", "multipart/form-data", "2", "400" },
        };
        for (String[] c : cases) {
            String requestId = "edge-refused-" + c[0].replaceAll("[^a-z]", "");
            String response = RawHttp.exchange(port, c[0] + " HTTP/1.1\nHost: localhost\nX-Request-Id: " + requestId
                    + "\nContent-Type: " + c[1] + "\nContent-Length: " + c[2], new byte[0]);
            assertTrue(response.startsWith("HTTP/1.1 " + c[3]), response);
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5))
                    .until(() -> calls.byRequestId(requestId) != null);
            org.junit.jupiter.api.Assertions.assertEquals(Integer.parseInt(c[3]), calls.byRequestId(requestId).status(),
                    c[0]);
        }
    }

    @Test
    void anyAcceptHeaderGetsTheRoutesOneFormat() {
        // a regression: RESTEasy answered 406 not_acceptable where Accept did not match a resource's @Produces; the
        // reference answers every route in its one format whatever Accept says
        given().accept("text/plain").when().get("/v1/models").then().statusCode(200)
                .contentType(containsString("application/json")).body("object", equalTo("list"));
        given().accept("application/binary").when().get("/v1/usage").then().statusCode(200)
                .contentType(containsString("application/json"));
        given().accept("text/plain").when().get("/v1/videos").then().statusCode(200)
                .contentType(containsString("application/json"));
        given().accept("application/json").when().get("/healthz").then().statusCode(200).body(equalTo("ok"));
    }

    @Test
    void managementEndpointsNeedNoKeyAndReportTheDatabase() {
        given().when().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
        given().when().get("/q/health/ready").then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", org.hamcrest.Matchers.hasItem(containsString("Database")));
    }
}
