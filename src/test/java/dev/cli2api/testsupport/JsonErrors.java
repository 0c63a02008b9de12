package dev.cli2api.testsupport;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;

/** The OpenAI error envelope a JSON POST must get back. */
public final class JsonErrors {

    private JsonErrors() {
    }

    /** POSTs {@code body} as JSON to {@code route} and expects {@code status} with that error type and message. */
    public static ValidatableResponse expect(String route, String body, int status, String type, String message) {
        return given().contentType(ContentType.JSON).body(body)
        .when().post(route)
        .then().log().ifValidationFails()
                .statusCode(status)
                .contentType(startsWith("application/json"))
                .body("error.type", equalTo(type))
                .body("error.message", equalTo(message));
    }
}
