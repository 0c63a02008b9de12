package dev.cli2api.catalog;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class ModelsResourceTest {

    @Test
    void listsAll76ModelsWithIdObjectAndOwner() {
        given()
                .when().get("/v1/models")
                .then()
                .statusCode(200)
                .contentType(containsString("application/json"))
                .body("object", equalTo("list"))
                .body("data", hasSize(76))
                .body("data.object", everyItem(equalTo("model")))
                .body("data.owned_by", everyItem(startsWith("mulerun:")))
                .body("data.id", hasItems("gpt-image-2", "nano-banana", "sora-2", "speech-2.8-hd", "music-2.5", "veo",
                        "gpt-image-2-edit", "nano-banana-edit", "wan2.5-i2i-preview-edit", "claude-sonnet-4-6",
                        "openai/gpt-5.3-codex"))
                .body("data[0].id", equalTo("midjourney"))
                .body("data[75].id", equalTo("openai/gpt-5.3-codex"));
    }

    @Test
    void itemsCarryExactlyThreeKeysAndTheOrderNeverChanges() {
        List<Map<String, Object>> first = given().when().get("/v1/models").then().extract().jsonPath().getList("data");
        List<Map<String, Object>> second = given().when().get("/v1/models").then().extract().jsonPath().getList("data");
        assertEquals(first, second);
        first.forEach(item -> assertEquals(3, item.size(), item.toString()));
        assertEquals(76, first.stream().map(m -> m.get("id")).distinct().count());
    }
}
