package dev.cli2api.generation;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.startsWith;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/** The image route end to end against the built-in MuleRun simulator with the default poll settings. */
@QuarkusTest
class SandboxGenerationTest {

    @Test
    void shouldGenerateAnImageWhoseUrlServesAPng() {
        String url = given().contentType(ContentType.JSON).body("{\"model\":\"nano-banana\",\"prompt\":\"a cat\"}")
        .when().post("/v1/images/generations")
        .then().log().ifValidationFails()
                .statusCode(200)
                .body("data", hasSize(1))
                .extract().path("data[0].url");

        given().when().get(url).then().statusCode(200).contentType(startsWith("image/png"));
    }
}
