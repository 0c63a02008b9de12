package dev.cli2api.ops;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

/** The OpenAPI description is served and lists the implemented routes. */
@QuarkusTest
class OpenApiTest {

    @Test
    void describesTheRoutes() {
        given()
                .queryParam("format", "json")
                .when().get("/q/openapi")
                .then()
                .statusCode(200)
                .body(containsString("\"title\" : \"cli2api\""))
                .body(containsString("\"/v1/models\""))
                .body(containsString("\"/healthz\""));
    }
}
