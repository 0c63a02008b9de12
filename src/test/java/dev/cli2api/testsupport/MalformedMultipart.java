package dev.cli2api.testsupport;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import java.util.Map;

/**
 * Multipart bodies Quarkus' form parser fails on with exceptions that are not {@code IOException}s (each was a 500):
 * an empty {@code boundary=}, a part header line without a colon, a part's unknown charset.
 */
public final class MalformedMultipart {

    private MalformedMultipart() {
    }

    /** Content-Type → body, each also naming {@code model} so that only the form itself is wrong. */
    public static Map<String, String> bodies(String model) {
        String part = "Content-Disposition: form-data; name=\"model\"\r\n\r\n" + model + "\r\n";
        return Map.of(
                "multipart/form-data; boundary=", "--\r\n" + part + "----\r\n",
                "multipart/form-data; boundary=B", "--B\r\nX-Junk\r\n" + part + "--B--\r\n",
                "multipart/form-data; boundary=C",
                "--C\r\nContent-Disposition: form-data; name=\"prompt\"\r\nContent-Type: text/plain; charset=bogus"
                        + "\r\n\r\nx\r\n--C--\r\n");
    }

    /** Posts each of {@link #bodies} to {@code route} and expects 400 {@code multipart: …} in the OpenAI envelope. */
    public static void expect400(String route, String model) {
        bodies(model).forEach((contentType, body) -> given().contentType(contentType).body(body.getBytes())
                .when().post(route)
                .then().log().ifValidationFails()
                .statusCode(400)
                .contentType(startsWith("application/json"))
                .body("error.type", equalTo("invalid_request_error"))
                .body("error.message", startsWith("multipart: ")));
    }
}
