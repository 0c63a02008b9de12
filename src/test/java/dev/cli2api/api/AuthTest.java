package dev.cli2api.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.containsString;

import org.junit.jupiter.api.Test;

import dev.cli2api.testsupport.WithApiKeys;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

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
