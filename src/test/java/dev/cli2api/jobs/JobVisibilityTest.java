package dev.cli2api.jobs;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import javax.sql.DataSource;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.cli2api.testsupport.FakeMuleRun;
import dev.cli2api.testsupport.FakeMuleRun.Reply;
import dev.cli2api.testsupport.InjectFakeMuleRun;
import dev.cli2api.testsupport.WithApiKeys;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;

/** With inbound auth on, a job belongs to the API key that created it: other keys get 404, not the job. */
@QuarkusTest
@TestProfile(JobsWithKeysProfile.class)
class JobVisibilityTest {

    @InjectFakeMuleRun
    FakeMuleRun fake;

    @Inject
    MeterRegistry registry;

    @Inject
    DataSource dataSource;

    private JobRows rows;

    @BeforeEach
    void setUp() {
        fake.reset();
        fake.onSubmit(Reply.json(503, "{}"));
        rows = new JobRows(dataSource);
    }

    @AfterEach
    void tearDown() {
        rows.deleteCreatedAndSettle(registry);
    }

    private String create(String key, String route, String body, String idempotencyKey) {
        var request = given().header("Authorization", "Bearer " + key).contentType(ContentType.JSON).body(body);
        if (idempotencyKey != null) {
            request.header("Idempotency-Key", idempotencyKey);
        }
        return rows.track(request.when().post(route).then().statusCode(202).extract().path("id"));
    }

    @Test
    void shouldHideAVideoJobFromAnotherKey() {
        String id = create(WithApiKeys.KEY, "/v1/videos", "{\"model\":\"sora-2\",\"prompt\":\"mine\"}", null);

        given()
                .header("Authorization", "Bearer " + WithApiKeys.OTHER_KEY)
                .when().get("/v1/videos/" + id)
                .then()
                .statusCode(404)
                .body("error.message", equalTo("video job not found: " + id));
        given()
                .header("X-API-Key", WithApiKeys.KEY)
                .when().get("/v1/videos/" + id)
                .then()
                .statusCode(200)
                .body("id", equalTo(id));
    }

    @Test
    void shouldHideAMusicJobFromAnotherKey() {
        String id = create(WithApiKeys.KEY, "/v1/audio/music", "{\"model\":\"music-2.5\",\"prompt\":\"mine\"}",
                null);

        given()
                .header("Authorization", "Bearer " + WithApiKeys.OTHER_KEY)
                .when().get("/v1/audio/music/" + id)
                .then()
                .statusCode(404)
                .body("error.message", equalTo("music job not found: " + id));
    }

    @Test
    void shouldRequireAKeyForJobRoutes() {
        given()
                .when().get("/v1/videos/video_does_not_exist")
                .then()
                .statusCode(401);
    }

    @Test
    void shouldScopeIdempotencyKeysToTheApiKey() {
        String body = "{\"model\":\"sora-2\",\"prompt\":\"same\"}";
        String mine = create(WithApiKeys.KEY, "/v1/videos", body, "shared-key");
        String theirs = create(WithApiKeys.OTHER_KEY, "/v1/videos", body, "shared-key");

        assertNotEquals(mine, theirs);
    }

    @Test
    void shouldListOnlyTheCallersVideosPageByPage() {
        String body = "{\"model\":\"sora-2\",\"prompt\":\"listed\"}";
        Set<String> mine = new HashSet<>(List.of(create(WithApiKeys.KEY, "/v1/videos", body, null),
                create(WithApiKeys.KEY, "/v1/videos", body, null), create(WithApiKeys.KEY, "/v1/videos", body, null)));
        create(WithApiKeys.OTHER_KEY, "/v1/videos", body, null);

        JsonPath first = given()
                .header("Authorization", "Bearer " + WithApiKeys.KEY)
                .queryParam("limit", 2)
                .when().get("/v1/videos")
                .then()
                .statusCode(200)
                .body("object", equalTo("list"))
                .body("data.size()", equalTo(2))
                .body("has_more", equalTo(true))
                .extract().jsonPath();
        assertEquals(first.getString("data[0].id"), first.getString("first_id"));
        JsonPath second = given()
                .header("Authorization", "Bearer " + WithApiKeys.KEY)
                .queryParam("limit", 2)
                .queryParam("after", first.getString("last_id"))
                .when().get("/v1/videos")
                .then()
                .statusCode(200)
                .body("data.size()", equalTo(1))
                .body("has_more", equalTo(false))
                .extract().jsonPath();

        Set<String> listed = new HashSet<>(first.getList("data.id"));
        listed.addAll(second.getList("data.id"));
        assertEquals(mine, listed);
    }

    @Test
    void shouldPageOnAfterADeletedVideoOnlyForItsOwner() {
        String body = "{\"model\":\"sora-2\",\"prompt\":\"paged while deleted\"}";
        List<String> mine = List.of(create(WithApiKeys.KEY, "/v1/videos", body, null),
                create(WithApiKeys.KEY, "/v1/videos", body, null), create(WithApiKeys.KEY, "/v1/videos", body, null));
        List<String> oldestFirst = given()
                .header("Authorization", "Bearer " + WithApiKeys.KEY)
                .queryParam("order", "asc")
                .when().get("/v1/videos")
                .then().statusCode(200)
                .extract().jsonPath().getList("data.id");
        assertEquals(new HashSet<>(mine), new HashSet<>(oldestFirst));
        given().header("Authorization", "Bearer " + WithApiKeys.KEY)
                .when().delete("/v1/videos/" + oldestFirst.get(1))
                .then().statusCode(200);

        given()
                .header("Authorization", "Bearer " + WithApiKeys.KEY)
                .queryParam("order", "asc")
                .queryParam("after", oldestFirst.get(1))
                .when().get("/v1/videos")
                .then()
                .statusCode(200)
                .body("data.id", equalTo(List.of(oldestFirst.get(2))))
                .body("has_more", equalTo(false));
        given()
                .header("Authorization", "Bearer " + WithApiKeys.KEY)
                .queryParam("after", oldestFirst.get(1))
                .when().get("/v1/videos")
                .then()
                .statusCode(200)
                .body("data.id", equalTo(List.of(oldestFirst.get(0))));
        // another key learns nothing of it: the same 404 as for an id that never was
        given()
                .header("Authorization", "Bearer " + WithApiKeys.OTHER_KEY)
                .queryParam("after", oldestFirst.get(1))
                .when().get("/v1/videos")
                .then()
                .statusCode(404)
                .body("error.message", equalTo("video job not found: " + oldestFirst.get(1)));
        // and it is gone: a second DELETE finds nothing
        given()
                .header("Authorization", "Bearer " + WithApiKeys.KEY)
                .when().delete("/v1/videos/" + oldestFirst.get(1))
                .then()
                .statusCode(404)
                .body("error.message", equalTo("video job not found: " + oldestFirst.get(1)));
    }

    @Test
    void shouldRejectAnOutOfRangeLimit() {
        given()
                .header("Authorization", "Bearer " + WithApiKeys.KEY)
                .queryParam("limit", 101)
                .when().get("/v1/videos")
                .then()
                .statusCode(400)
                .body("error.type", equalTo("invalid_request_error"));
    }

    @Test
    void shouldDeleteOnlyTheCallersVideo() {
        String id = create(WithApiKeys.KEY, "/v1/videos", "{\"model\":\"sora-2\",\"prompt\":\"gone\"}", null);

        given()
                .header("Authorization", "Bearer " + WithApiKeys.OTHER_KEY)
                .when().delete("/v1/videos/" + id)
                .then()
                .statusCode(404);
        given()
                .header("Authorization", "Bearer " + WithApiKeys.KEY)
                .when().delete("/v1/videos/" + id)
                .then()
                .statusCode(200)
                .body("id", equalTo(id))
                .body("object", equalTo("video.deleted"))
                .body("deleted", equalTo(true));
        given()
                .header("Authorization", "Bearer " + WithApiKeys.KEY)
                .when().get("/v1/videos/" + id)
                .then()
                .statusCode(404);
    }
}
