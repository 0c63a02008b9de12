package dev.cli2api.ops;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

/** The edge's completion event reaches observers once per authenticated API call, and only for those. */
@QuarkusTest
class ApiMetricsTest {

    private static double count(String metrics, String route, String status) {
        Matcher m = Pattern.compile("cli2api_api_calls_seconds_count\\{([^}]*)\\} ([0-9.E]+)").matcher(metrics);
        double total = 0;
        while (m.find()) {
            String tags = m.group(1);
            if (tags.contains("route=\"" + route + "\"") && tags.contains("status=\"" + status + "\"")) {
                total += Double.parseDouble(m.group(2));
            }
        }
        return total;
    }

    private static String metrics() {
        return given().when().get("/q/metrics").then().statusCode(200).extract().asString();
    }

    @Test
    void countsApiCallsPerRouteTemplate() {
        double before = count(metrics(), "/v1/models", "200");
        given().when().get("/v1/models").then().statusCode(200);
        given().when().get("/v1/models").then().statusCode(200);
        String after = metrics();
        assertTrue(count(after, "/v1/models", "200") >= before + 2, after);
        assertTrue(after.contains("cli2api_api_response_bytes_total{route=\"/v1/models\""), after);
        assertFalse(after.contains("http_server_requests_seconds"), "each call is timed once, by ApiMetrics");
    }

    @Test
    void exposesTheConnectionPool() {
        // a regression: docs/operations.md promised the connection pool in /q/metrics, and it had no series at all
        String metrics = metrics();
        assertTrue(metrics.contains("agroal_active_count{datasource=\"default\"}"), metrics);
        assertTrue(metrics.contains("agroal_awaiting_count{datasource=\"default\"}"), metrics);
    }

    @Test
    void healthzUnknownRoutesAndWrongMethodsAreNotApiCalls() {
        given().when().get("/healthz").then().statusCode(200);
        given().when().get("/v1/nope").then().statusCode(404);
        given().when().post("/v1/models").then().statusCode(405);
        String after = metrics();
        assertFalse(after.contains("route=\"/healthz\""), "healthz is exempt like in the reference");
        assertFalse(after.contains("route=\"/v1/nope\""));
        assertFalse(after.contains("method=\"POST\",route=\"/v1/models\""));
    }
}
