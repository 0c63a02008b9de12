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
