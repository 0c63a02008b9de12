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
                .body(containsString("\"/healthz\""))
                .body(containsString("\"/v1/images/generations\""))
                .body(containsString("\"/v1/chat/completions\""))
                .body(containsString("\"/v1/messages\""));
    }

    @Test
    void describesEveryRouteOfTheRouteTableWithItsMethods() {
        String spec = given().queryParam("format", "json").when().get("/q/openapi").then().statusCode(200)
                .extract().asString();
        io.restassured.path.json.JsonPath paths = new io.restassured.path.json.JsonPath(spec);
        for (dev.cli2api.api.ApiRoute route : dev.cli2api.api.ApiRoutes.all()) {
            java.util.Map<String, Object> operations = paths.getMap("paths.'" + route.template() + "'");
            org.junit.jupiter.api.Assertions.assertNotNull(operations, route.template() + " is not described");
            for (String method : route.methods()) {
                org.junit.jupiter.api.Assertions.assertTrue(operations.containsKey(method.toLowerCase()),
                        route.template() + " lacks " + method);
            }
        }
    }
}
