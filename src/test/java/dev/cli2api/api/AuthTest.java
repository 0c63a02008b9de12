package dev.cli2api.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import dev.cli2api.testsupport.WithApiKeys;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;

/** Inbound API keys (spec §1.3) with CLI2API_API_KEYS set. */
@QuarkusTest
@TestProfile(WithApiKeys.class)
class AuthTest {

    @Test
    void missingKeyIs401MissingApiKeyInOpenAiEnvelope() {
        given()
                .when().get("/v1/models")
                .then()
                .statusCode(401)
                .contentType(containsString("application/json"))
                .body("error.type", equalTo("unauthorized"))
                .body("error.message", equalTo("missing API key"))
                .body("error", not(org.hamcrest.Matchers.hasKey("code")))
                .header("Access-Control-Allow-Origin", "*");
    }

    @Test
    void aPathThatOnlyLooksLikeAManagementPathStillNeedsAKey() {
        // a regression: the edge exempted the raw path /q/%2e%2e/v1/... from the key check as a management path,
        // while the router resolved the dot segments and ran the /v1 handler, unauthenticated
        for (String path : new String[] {"/q/%2e%2e/v1/models", "/q/%2E%2E/v1/videos", "/q/./../v1/usage",
                "/v1/%2e/models", "/q/health/%2e%2e/%2e%2e/v1/models"}) {
            given().urlEncodingEnabled(false)
                    .when().get(path)
                    .then()
                    .statusCode(401)
                    .body("error.message", equalTo("missing API key"));
        }
        given().urlEncodingEnabled(false).contentType("application/json").body("{}")
                .when().post("/q/%2e%2e/v1/chat/completions")
                .then()
                .statusCode(401)
                .body("error.message", equalTo("missing API key"));
        // and a path that resolves to a management one is one
        given().urlEncodingEnabled(false).when().get("/v1/%2e%2e/q/health").then().statusCode(200);
    }

    @Test
    void theKeyIsCheckedBeforeTheBodyCapAndAnUnreadBodyEndsTheConnection() throws Exception {
        // the reference checks the key first (its cap bites only when a handler reads the body); and the server kept
        // reading and discarding the unread body of a client that declared more than the cap
        for (String route : new String[] {"/v1/chat/completions", "/v1/images/generations", "/v1/videos"}) {
            String head = "POST " + route + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 67108865\r\n";
            assertThat(exchangeThenEof(head + "\r\n", false), startsWith("HTTP/1.1 401"));
            String tooLarge = exchangeThenEof(head + "Authorization: Bearer " + WithApiKeys.KEY + "\r\n\r\n", true);
            assertThat(tooLarge, startsWith(route.endsWith("completions") ? "HTTP/1.1 413" : "HTTP/1.1 400"));
            assertThat(tooLarge, containsString("request body too large"));
        }
    }

    /**
     * Sends {@code head} and a few bytes of a body that never comes in full, reads the answer, and, when
     * {@code closed}, asserts that the server then ends the connection (within 5 s) while the client is still sending.
     */
    private static String exchangeThenEof(String head, boolean closed) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", RestAssured.port)) {
            socket.setSoTimeout(5000);
            socket.getOutputStream().write((head + "{\"model\":").getBytes(StandardCharsets.ISO_8859_1));
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[8192];
            int n = in.read(buffer);
            String answer = new String(buffer, 0, Math.max(n, 0), StandardCharsets.ISO_8859_1);
            if (closed) {
                long deadline = System.nanoTime() + 5_000_000_000L;
                int more = 0;
                while (more >= 0 && System.nanoTime() < deadline) {
                    try {
                        socket.getOutputStream().write(new byte[1024]);
                        more = in.available() > 0 ? in.read(buffer) : 0;
                        Thread.sleep(20);
                    } catch (IOException endedByTheServer) {
                        more = -1;
                    }
                }
                assertEquals(-1, more, "the connection is still open: " + answer);
            }
            return answer;
        }
    }

    @Test
    void wrongKeyIs401InvalidApiKey() {
        given()
                .header("Authorization", "Bearer nope")
                .when().get("/v1/models")
                .then()
                .statusCode(401)
                .body("error.message", equalTo("invalid API key"));
    }

    @Test
    void keyIsAcceptedAsBearerBareAuthorizationOrXApiKey() {
        given().header("Authorization", "Bearer " + WithApiKeys.KEY).when().get("/v1/models").then().statusCode(200);
        given().header("Authorization", "bearer   " + WithApiKeys.OTHER_KEY + " ").when().get("/v1/models").then()
                .statusCode(200);
        given().header("Authorization", WithApiKeys.KEY).when().get("/v1/models").then().statusCode(200);
        given().header("X-API-Key", " " + WithApiKeys.KEY + " ").when().get("/v1/models").then().statusCode(200);
    }

    @Test
    void xApiKeyWinsOverAuthorization() {
        given()
                .header("X-API-Key", "wrong")
                .header("Authorization", "Bearer " + WithApiKeys.KEY)
                .when().get("/v1/models")
                .then()
                .statusCode(401)
                .body("error.message", equalTo("invalid API key"));
    }

    @Test
    void keysAreCaseSensitive() {
        given().header("Authorization", "Bearer KEY-ONE").when().get("/v1/models").then().statusCode(401);
    }

    @Test
    void bearerWithoutAKeyIsTakenAsABareValueLikeTheReference() {
        // the header is trimmed first, so "Bearer   " is the bare value "Bearer"
        given().header("Authorization", "Bearer   ").when().get("/v1/models").then().statusCode(401)
                .body("error.message", equalTo("invalid API key"));
    }

    @Test
    void healthPreflightUnknownAndWrongMethodNeedNoKey() {
        given().when().get("/healthz").then().statusCode(200);
        given().when().options("/v1/models").then().statusCode(204);
        given().when().get("/v1/nothing-here").then().statusCode(404);
        given().when().post("/v1/models").then().statusCode(405);
        given().when().get("/q/health/ready").then().statusCode(200);
    }
}
