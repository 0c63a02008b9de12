package dev.cli2api.ops;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.cli2api.api.ApiRoute;
import dev.cli2api.api.ApiRoutes;
import dev.cli2api.api.BodyLimit;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The OpenAPI description is served, describes exactly the route table, and says what the code does: the
 * hand-written META-INF/openapi.yaml is the only source (annotation scanning is off, since what it generated was
 * false), so these checks tie it to {@link ApiRoutes}.
 */
@QuarkusTest
class OpenApiTest {

    private static final Set<String> HTTP_METHODS = Set.of("get", "put", "post", "delete", "options", "head",
            "patch", "trace");

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
        JsonNode paths = spec().path("paths");
        for (ApiRoute route : ApiRoutes.all()) {
            JsonNode operations = paths.get(route.template());
            assertNotNull(operations, route.template() + " is not described");
            for (String method : route.methods()) {
                assertTrue(operations.has(method.toLowerCase(Locale.ROOT)), route.template() + " lacks " + method);
            }
        }
    }

    /** Nothing but the route table: no path or method the edge would answer 404 or 405 for. */
    @Test
    void describesNothingOutsideTheRouteTable() {
        JsonNode paths = spec().path("paths");
        Set<String> described = new TreeSet<>();
        paths.fieldNames().forEachRemaining(described::add);
        Set<String> routed = new TreeSet<>(ApiRoutes.all().stream().map(ApiRoute::template).toList());
        assertEquals(routed, described);
        for (ApiRoute route : ApiRoutes.all()) {
            paths.get(route.template()).fieldNames().forEachRemaining(key -> {
                if (HTTP_METHODS.contains(key)) {
                    assertTrue(route.methods().contains(key.toUpperCase(Locale.ROOT)),
                            route.template() + " describes " + key + ", which the route table answers 405");
                }
            });
        }
    }

    /** What annotation scanning generated and the code contradicts: it must not come back. */
    @Test
    void isNotTheScannedDescription() {
        JsonNode spec = spec();
        assertFalse(spec.toString().contains("RoutingContext"), "a scanned RoutingContext schema is described");
        for (String jobPost : List.of("/v1/videos", "/v1/audio/music")) {
            JsonNode responses = operation(spec, jobPost, "post").path("responses");
            assertTrue(responses.has("202"), "POST " + jobPost + " answers 202");
            assertFalse(responses.has("200"), "POST " + jobPost + " never answers 200");
        }
        JsonNode delete = operation(spec, "/v1/videos/{id}", "delete").path("responses");
        assertTrue(delete.path("200").path("description").asText().contains("video.deleted"), delete.toString());
        assertTrue(delete.has("404"), "a second DELETE is a 404");
        assertTrue(operation(spec, "/v1/videos", "post").path("responses").has("409"),
                "an Idempotency-Key reused with another body is a 409");
    }

    @Test
    void noGetTakesABody() {
        for (Operation op : operations(spec())) {
            if (op.method().equals("get")) {
                assertFalse(op.node().has("requestBody"), "GET " + op.path() + " documents a request body");
            }
        }
    }

    @Test
    void everyOperationHasASummaryAndResponses() {
        for (Operation op : operations(spec())) {
            assertFalse(op.node().path("summary").asText().isBlank(), op + " has no summary");
            assertTrue(op.node().path("responses").size() > 0, op + " documents no response");
            op.node().path("responses").fields().forEachRemaining(response -> assertFalse(
                    response.getValue().path("description").asText().isBlank(),
                    op + " " + response.getKey() + " has no description"));
        }
    }

    /** 401 exactly where the edge checks the API key. */
    @Test
    void authenticatedRoutesDocument401() {
        JsonNode spec = spec();
        for (ApiRoute route : ApiRoutes.all()) {
            for (String method : route.methods()) {
                JsonNode responses = operation(spec, route.template(), method).path("responses");
                assertEquals(route.authenticated(), responses.has("401"),
                        method + " " + route.template() + (route.authenticated() ? " lacks 401" : " has a 401"));
            }
        }
    }

    /**
     * The POSTs whose bodies this service reads into memory ({@code BodyLimit} other than 413, counted against the
     * edge's body budget) document its 503, and, since the edge reads them whatever their Content-Type, the form
     * routes both JSON and multipart/form-data (and the others no form).
     */
    @Test
    void bodyHoldingPostsDocument503AndTheirContentTypes() {
        JsonNode spec = spec();
        List<String> holding = new ArrayList<>();
        for (ApiRoute route : ApiRoutes.all()) {
            if (!route.methods().contains("POST")) {
                continue;
            }
            JsonNode post = operation(spec, route.template(), "POST");
            JsonNode content = post.path("requestBody").path("content");
            assertTrue(content.has("application/json"), "POST " + route.template() + " takes JSON");
            assertEquals(route.takesForms(), content.has("multipart/form-data"),
                    "POST " + route.template() + (route.takesForms() ? " takes" : " does not take") + " forms");
            boolean holdsBody = route.bodyLimit() != BodyLimit.TOO_LARGE_413;
            assertEquals(holdsBody, post.path("responses").has("503"), "POST " + route.template() + " and 503");
            if (holdsBody) {
                holding.add(route.template());
            }
            if (route.takesForms()) {
                assertTrue(post.path("responses").has("413"), "POST " + route.template() + ": file over 20 MiB");
            }
        }
        assertEquals(List.of("/v1/images/generations", "/v1/images/edits", "/v1/audio/speech", "/v1/videos",
                "/v1/audio/music"), holding);
    }

    private record Operation(String path, String method, JsonNode node) {
        @Override
        public String toString() {
            return method.toUpperCase(Locale.ROOT) + " " + path;
        }
    }

    private static List<Operation> operations(JsonNode spec) {
        List<Operation> out = new ArrayList<>();
        spec.path("paths").fields().forEachRemaining(path -> path.getValue().fields().forEachRemaining(op -> {
            if (HTTP_METHODS.contains(op.getKey())) {
                out.add(new Operation(path.getKey(), op.getKey(), op.getValue()));
            }
        }));
        assertFalse(out.isEmpty(), "no operation described");
        return out;
    }

    private static JsonNode operation(JsonNode spec, String path, String method) {
        JsonNode op = spec.path("paths").path(path).get(method.toLowerCase(Locale.ROOT));
        assertNotNull(op, method + " " + path + " is not described");
        return op;
    }

    private static JsonNode spec() {
        String json = given().queryParam("format", "json").when().get("/q/openapi").then().statusCode(200)
                .extract().asString();
        try {
            return new ObjectMapper().readTree(json);
        } catch (java.io.IOException e) {
            throw new AssertionError("the OpenAPI description is not JSON", e);
        }
    }
}
