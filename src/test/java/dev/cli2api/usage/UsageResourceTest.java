package dev.cli2api.usage;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;

import dev.cli2api.testsupport.WithApiKeys;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;

/** {@code GET /v1/usage} on the wire (spec §1.18) and what the edge records (spec §6.1). */
@QuarkusTest
@TestProfile(WithApiKeys.class)
class UsageResourceTest {

    @Inject
    UsageRetention retention;

    @Inject
    DataSource dataSource;

    private static io.restassured.specification.RequestSpecification authed() {
        return given().header("Authorization", "Bearer " + WithApiKeys.KEY);
    }

    @Test
    void answersTheSpecShapeWithEmptyRowsAndEchoedWindow() {
        authed().queryParam("from", "0").queryParam("to", "1970-01-01T00:00:10Z")
                .when().get("/v1/usage")
                .then().statusCode(200)
                .header("Content-Type", equalTo("application/json; charset=utf-8"))
                .body("from", equalTo("1970-01-01T00:00:00Z"))
                .body("to", equalTo("1970-01-01T00:00:10Z"))
                .body("group_by", equalTo("model"))
                .body("filter.model", equalTo(""))
                .body("filter.endpoint", equalTo(""))
                .body("rows", empty())
                .body("totals.calls", equalTo(0))
                .body("totals.bytes_out", equalTo(0));
    }

    @Test
    void badParametersAre400InvalidRequestAndNeedAKey() {
        authed().queryParam("from", "yesterday").when().get("/v1/usage")
                .then().statusCode(400).header("Content-Type", org.hamcrest.Matchers.startsWith("application/json"))
                .body("error.type", equalTo("invalid_request"))
                .body("error.message", equalTo("from must be unix seconds or RFC3339"));
        authed().queryParam("group_by", "minute").when().get("/v1/usage")
                .then().statusCode(400)
                .body("error.message", equalTo("group_by must be one of model|endpoint|status|day|hour|api_key"));
        given().when().get("/v1/usage").then().statusCode(401);
        // a NUL in a filter (no stored record holds one) is an empty answer, not PostgreSQL's 500
        authed().urlEncodingEnabled(false).when().get("/v1/usage?model=%00&endpoint=a%00b")
                .then().statusCode(200).body("rows", empty()).body("filter.model", equalTo("\u0000"));
        authed().when().post("/v1/usage").then().statusCode(405).header("Allow", "GET");
    }

    @Test
    void recordsJobGetsWithTheirIdButNotAuthFailures() {
        String path = "/v1/videos/video_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        authed().when().get(path).then().statusCode(404);
        given().header("Authorization", "Bearer wrong").when().get(path).then().statusCode(401);

        long now = System.currentTimeMillis() / 1000;
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> authed().queryParam("endpoint", path)
                .queryParam("group_by", "status").queryParam("from", now - 600).queryParam("to", now + 60)
                .when().get("/v1/usage")
                .then().statusCode(200)
                .body("filter.endpoint", equalTo(path))
                .body("rows.bucket", equalTo(List.of("404")))
                .body("totals.calls", equalTo(1))
                .body("totals.errors", equalTo(1)));
    }

    @Test
    void recordsTheModelAJobGetAnswersWith() {
        String id = authed().contentType("application/json")
                .body("{\"model\":\"sora-2\",\"prompt\":\"a paper boat\"}")
                .when().post("/v1/videos").then().statusCode(202).extract().path("id");
        String path = "/v1/videos/" + id;
        try {
            authed().when().get(path).then().statusCode(200).body("model", equalTo("sora-2"));

            long now = System.currentTimeMillis() / 1000;
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> authed().queryParam("endpoint", path)
                    .queryParam("group_by", "model").queryParam("from", now - 600).queryParam("to", now + 60)
                    .when().get("/v1/usage")
                    .then().statusCode(200)
                    .body("rows.bucket", equalTo(List.of("sora-2")))
                    .body("totals.calls", equalTo(1)));
        } finally {
            // no job may outlive the test: another profile's worker would poll it at its own fake upstream
            authed().when().delete(path).then().statusCode(200);
        }
    }

    @Test
    void retentionSweepDeletesOnlyRecordsPastTheRetention() throws Exception {
        long now = System.currentTimeMillis() / 1000;
        String endpoint = "/v1/retention-" + UUID.randomUUID();
        try (var c = dataSource.getConnection(); var ps = c.prepareStatement(
                "INSERT INTO usage_records (ts, endpoint) VALUES (?, ?), (?, ?)")) {
            ps.setLong(1, now - 800 * 3600); // older than the default 720 h
            ps.setString(2, endpoint);
            ps.setLong(3, now - 3600);
            ps.setString(4, endpoint);
            ps.executeUpdate();
        }

        retention.sweep();

        try (var c = dataSource.getConnection(); var ps = c.prepareStatement(
                "SELECT ts FROM usage_records WHERE endpoint = ?")) {
            ps.setString(1, endpoint);
            try (var rs = ps.executeQuery()) {
                rs.next();
                assertEquals(now - 3600, rs.getLong(1));
                assertEquals(false, rs.next());
            }
        }
    }
}
