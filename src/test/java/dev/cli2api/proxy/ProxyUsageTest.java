package dev.cli2api.proxy;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;

/**
 * Usage accounting end to end (spec §6, §8.9; DESIGN decision 5): a proxied call is recorded with the model and token
 * counts of its answer, JSON or streamed, and {@code GET /v1/usage} reports it.
 */
@QuarkusTest
@TestProfile(ProxyProfile.class)
class ProxyUsageTest {

    private final FakeUpstream upstream = FakeUpstream.get();

    @ConfigProperty(name = "quarkus.http.test-port")
    int port;

    @BeforeEach
    void reset() {
        upstream.reset();
    }

    /** The usage report for one model over the last hour, once it shows {@code calls} calls. */
    private static JsonPath usageOf(String model, int calls) {
        long now = System.currentTimeMillis() / 1000;
        await().atMost(Duration.ofSeconds(10)).until(() -> given().header("Authorization", "Bearer " + ProxyProfile.KEY)
                .queryParam("model", model).queryParam("from", now - 3600).queryParam("to", now + 60)
                .when().get("/v1/usage").then().statusCode(200).extract().jsonPath().getLong("totals.calls") == calls);
        return given().header("Authorization", "Bearer " + ProxyProfile.KEY)
                .queryParam("model", model).queryParam("from", now - 3600).queryParam("to", now + 60)
                .when().get("/v1/usage").then().statusCode(200).extract().jsonPath();
    }

    @Test
    void jsonAnswerGivesTokensAndItsModelOverridesTheRequestedOne() {
        String answered = "gpt-5.5-" + UUID.randomUUID();
        upstream.answer((request, body) -> request.response().putHeader("Content-Type", "application/json")
                .end("{\"model\":\"" + answered + "\",\"usage\":{\"prompt_tokens\":42,\"completion_tokens\":17}}"));

        given().header("Authorization", "Bearer " + ProxyProfile.KEY).contentType("application/json")
                .body("{\"model\":\"openai/gpt-5.5\",\"messages\":[]}")
                .when().post("/v1/chat/completions").then().statusCode(200);

        JsonPath usage = usageOf(answered, 1);
        assertEquals(answered, usage.getString("rows[0].bucket"));
        assertEquals(42, usage.getInt("rows[0].prompt_tokens"));
        assertEquals(17, usage.getInt("rows[0].completion_tokens"));
        assertEquals(0, usage.getInt("rows[0].errors"));
        assertTrue(usage.getInt("rows[0].bytes_out") > 0);
    }

    @Test
    void streamKeepsTheRequestedModelCountsBytesAndReadsTheUsageChunk() {
        String requested = "deepseek-v4-flash-" + UUID.randomUUID();
        upstream.answer((request, body) -> request.response().putHeader("Content-Type", "text/event-stream")
                .setChunked(true)
                .write("data: {\"model\":\"other\",\"choices\":[{\"delta\":{\"content\":\"hi\"}}]}\n\n")
                .compose(v -> request.response().write(
                        "data: {\"choices\":[],\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":5}}\n\n"))
                .compose(v -> request.response().end("data: [DONE]\n\n")));

        given().header("Authorization", "Bearer " + ProxyProfile.KEY).contentType("application/json")
                .body("{\"model\":\"" + requested + "\",\"stream\":true}")
                .when().post("/v1/chat/completions").then().statusCode(200);

        JsonPath usage = usageOf(requested, 1);
        assertEquals(requested, usage.getString("rows[0].bucket"));
        assertEquals(12, usage.getInt("rows[0].prompt_tokens"));
        assertEquals(5, usage.getInt("rows[0].completion_tokens"));
        assertTrue(usage.getInt("rows[0].bytes_out") > 100);
    }

    @Test
    void aStreamsTokensCountWhenTheClientHangsUpAtDoneBeforeTheUpstreamEnds() throws Exception {
        // a regression: the counts were recorded only when the upstream body ended, and the Python SDK closes the
        // connection as soon as it reads "data: [DONE]": a chat stream whose upstream ended its body a moment later
        // was recorded with no tokens
        String requested = "deepseek-v4-pro-" + UUID.randomUUID();
        upstream.answer((request, body) -> request.response().putHeader("Content-Type", "text/event-stream")
                .setChunked(true)
                .write("data: {\"choices\":[],\"usage\":{\"prompt_tokens\":11,\"completion_tokens\":5}}\n\n")
                .compose(v -> request.response().write("data: [DONE]\n\n"))
                .onSuccess(v -> io.vertx.core.Vertx.currentContext().owner().setTimer(3000,
                        t -> request.response().end())));

        byte[] ask = ("{\"model\":\"" + requested + "\",\"stream\":true}").getBytes(StandardCharsets.UTF_8);
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(5000);
            socket.getOutputStream().write(("POST /v1/chat/completions HTTP/1.1\r\nHost: localhost\r\n"
                    + "Authorization: Bearer " + ProxyProfile.KEY + "\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + ask.length + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().write(ask);
            StringBuilder seen = new StringBuilder();
            byte[] buffer = new byte[4096];
            while (!seen.toString().contains("data: [DONE]")) {
                int n = socket.getInputStream().read(buffer);
                assertTrue(n > 0, seen::toString);
                seen.append(new String(buffer, 0, n, StandardCharsets.ISO_8859_1));
            }
        } // hung up at [DONE], as the SDK does, while the upstream has not ended its body

        JsonPath usage = usageOf(requested, 1);
        assertEquals(11, usage.getInt("rows[0].prompt_tokens"));
        assertEquals(5, usage.getInt("rows[0].completion_tokens"));
    }

    @Test
    void upstreamErrorsCountAsErrorsAndTheKeyIsOnlyAFingerprint() {
        String model = "err-model-" + UUID.randomUUID();
        upstream.answer((request, body) -> request.response().setStatusCode(429)
                .putHeader("Content-Type", "application/json").end("{\"error\":{\"message\":\"slow down\"}}"));

        given().header("Authorization", "Bearer " + ProxyProfile.KEY).contentType("application/json")
                .body("{\"model\":\"" + model + "\"}")
                .when().post("/v1/chat/completions").then().statusCode(429);

        JsonPath usage = usageOf(model, 1);
        assertEquals(1, usage.getInt("totals.errors"));
        long now = System.currentTimeMillis() / 1000;
        String byKey = given().header("Authorization", "Bearer " + ProxyProfile.KEY).queryParam("model", model)
                .queryParam("group_by", "api_key").queryParam("from", now - 3600).queryParam("to", now + 60)
                .when().get("/v1/usage").then().statusCode(200).body("group_by", equalTo("api_key"))
                .extract().jsonPath().getString("rows[0].bucket");
        assertEquals(12, byKey.length());
        assertTrue(byKey.matches("[0-9a-f]{12}"));
        assertTrue(!ProxyProfile.KEY.contains(byKey), "a fingerprint, never a piece of the key");
    }
}
