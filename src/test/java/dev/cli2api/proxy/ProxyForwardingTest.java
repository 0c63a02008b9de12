package dev.cli2api.proxy;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.cli2api.api.ApiCallCompleted;
import dev.cli2api.testsupport.RecordedCalls;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;

/** Chat, responses and messages as seen by the upstream: paths, bytes, headers (spec §1.9–1.11, §2.2, §2.3). */
@QuarkusTest
@TestProfile(ProxyProfile.class)
class ProxyForwardingTest {

    private final FakeUpstream upstream = FakeUpstream.get();

    @Inject
    RecordedCalls calls;

    @TestHTTPResource("/")
    java.net.URL base;

    @BeforeEach
    void reset() {
        upstream.reset();
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void unroutedChatBodyReachesUpstreamByteIdentical() {
        byte[] body = utf8("{ \"model\":\"gpt-5\" ,\n \"seed\": 9007199254740993, \"t\": 1.0e0 }");
        given().header("Authorization", "Bearer " + ProxyProfile.KEY).contentType("application/json").body(body)
                .accept("text/event-stream")
                .when().post("/v1/chat/completions?beta=true")
                .then().statusCode(200).body("ok", equalTo(true));
        FakeUpstream.Received got = upstream.single();
        // the edge drops Accept for the routes it answers itself, never for a proxy's request
        assertEquals("text/event-stream", got.header("Accept"));
        assertEquals("POST", got.method());
        assertEquals("/v1/chat/completions", got.uri());
        assertArrayEquals(body, got.body());
        assertEquals(Integer.toString(body.length), got.header("Content-Length"));
        assertNull(got.header("Transfer-Encoding"));
    }

    @Test
    void vendorPrefixedChatIsRoutedWithOnlyTheModelChanged() {
        given().header("Authorization", "Bearer " + ProxyProfile.KEY).contentType("application/json")
                .body(utf8("{\"messages\":[],\"model\":\"openai/gpt-5.5\",\"n\":9007199254740993}"))
                .when().post("/v1/chat/completions")
                .then().statusCode(200);
        FakeUpstream.Received got = upstream.single();
        assertEquals("/vendors/openai/v1/chat/completions", got.uri());
        assertEquals("{\"messages\":[],\"model\":\"gpt-5.5\",\"n\":9007199254740993}",
                new String(got.body(), StandardCharsets.UTF_8));
    }

    @Test
    void aLoneSurrogateEscapeInAPrefixedModelIsRoutedAsAReplacementCharacter() {
        // a regression: rewriting the model failed ("Broken surrogate pair") and the request was a 400, where Go's
        // decoder reads the escape as U+FFFD and the request goes on
        given().header("Authorization", "Bearer " + ProxyProfile.KEY).contentType("application/json")
                .body(utf8("{\"model\":\"openai/gpt\\ud800x\",\"messages\":[]}"))
                .when().post("/v1/chat/completions")
                .then().statusCode(200);
        FakeUpstream.Received got = upstream.single();
        assertEquals("/vendors/openai/v1/chat/completions", got.uri());
        assertEquals("{\"model\":\"gpt\uFFFDx\",\"messages\":[]}", new String(got.body(), StandardCharsets.UTF_8));
    }

    @Test
    void responsesGoToTheOpenAiVendorPathWithPrefixStripped() {
        given().header("Authorization", "Bearer " + ProxyProfile.KEY).contentType("application/json")
                .body(utf8("{\"model\":\"openai/gpt-5.3-codex\",\"input\":\"hi\"}"))
                .when().post("/v1/responses")
                .then().statusCode(200);
        given().header("Authorization", "Bearer " + ProxyProfile.KEY).contentType("application/json")
                .body(utf8("{\"model\":\"google/gemini-3\",\"input\":\"hi\"}"))
                .when().post("/v1/responses")
                .then().statusCode(200);
        assertEquals("/vendors/openai/v1/responses", upstream.received().get(0).uri());
        assertEquals("{\"model\":\"gpt-5.3-codex\",\"input\":\"hi\"}",
                new String(upstream.received().get(0).body(), StandardCharsets.UTF_8));
        assertEquals("{\"model\":\"google/gemini-3\",\"input\":\"hi\"}",
                new String(upstream.received().get(1).body(), StandardCharsets.UTF_8));
    }

    @Test
    void gzipBodiesAreDecodedAndForwardedPlain() throws IOException {
        byte[] plain = utf8("{\"model\":\"openai/gpt-5.5\"}");
        given().header("Authorization", "Bearer " + ProxyProfile.KEY).contentType("application/json")
                .header("Content-Encoding", "gzip").body(BodyRoutingTest.gzip(plain))
                .when().post("/v1/chat/completions")
                .then().statusCode(200);
        FakeUpstream.Received got = upstream.single();
        assertEquals("/vendors/openai/v1/chat/completions", got.uri());
        assertEquals("{\"model\":\"gpt-5.5\"}", new String(got.body(), StandardCharsets.UTF_8));
        assertNull(got.header("Content-Encoding"));
    }

    @Test
    void badGzipIs400AndNothingGoesUpstream() {
        given().header("Authorization", "Bearer " + ProxyProfile.KEY).contentType("application/json")
                .header("Content-Encoding", "gzip").body(utf8("{\"model\":\"gpt-5\"}"))
                .when().post("/v1/chat/completions")
                .then().statusCode(400)
                .contentType(containsString("application/json"))
                .body("error.type", equalTo("invalid_request"))
                .body("error.message", equalTo("failed to read request body: invalid gzip body: gzip: invalid header"));
        assertEquals(0, upstream.received().size());
    }

    @Test
    void bytesAfterTheGzipMemberAre400AndNothingGoesUpstream() throws IOException {
        byte[] member = BodyRoutingTest.gzip(utf8("{\"model\":\"gpt-5\"}"));
        byte[] body = Arrays.copyOf(member, member.length + 16);
        given().header("Authorization", "Bearer " + ProxyProfile.KEY).contentType("application/json")
                .header("Content-Encoding", "gzip").body(body)
                .when().post("/v1/responses")
                .then().statusCode(400)
                .body("error.type", equalTo("invalid_request"))
                .body("error.message", equalTo("failed to read request body: gzip: invalid header"));
        assertEquals(0, upstream.received().size());
    }

    @Test
    void unknownEncodingIsForwardedUntouched() {
        byte[] body = utf8("\u0001\u0002 not really brotli {\"model\":\"openai/gpt-5.5\"}");
        given().header("Authorization", "Bearer " + ProxyProfile.KEY).contentType("application/json")
                .header("Content-Encoding", "br").body(body)
                .when().post("/v1/chat/completions")
                .then().statusCode(200);
        FakeUpstream.Received got = upstream.single();
        assertEquals("/v1/chat/completions", got.uri());
        assertEquals("br", got.header("Content-Encoding"));
        assertArrayEquals(body, got.body());
    }

    @Test
    void credentialsAndHopByHopHeadersNeverGoUpAndUpstreamAuthIsInjected() {
        given().header("Authorization", "Bearer " + ProxyProfile.KEY).header("Cookie", "a=b")
                .header("Proxy-Authorization", "Basic eA==").header("Api-Key", "k").header("OpenAI-Beta", "x")
                .header("User-Agent", "OpenAI/Java 4").header("X-Stainless-Lang", "java").contentType("application/json")
                .body(utf8("{}"))
                .when().post("/v1/chat/completions")
                .then().statusCode(200)
                .header("Set-Cookie", nullValue())
                .header("X-Upstream", "yes")
                .header("Content-Length", nullValue());
        FakeUpstream.Received got = upstream.single();
        assertEquals("Bearer " + FakeUpstreamResource.TOKEN, got.header("Authorization"));
        assertNull(got.header("Cookie"));
        assertNull(got.header("Proxy-Authorization"));
        assertNull(got.header("Api-Key"));
        assertNull(got.header("X-API-Key"));
        assertEquals("x", got.header("OpenAI-Beta"));
        assertEquals("OpenAI/Java 4", got.header("User-Agent"));
        assertEquals("java", got.header("X-Stainless-Lang"));
    }

    @Test
    void messagesArePassedThroughWithTheTokenAsXApiKey() {
        byte[] body = utf8("{\"model\":\"anthropic/claude-x\",  \"max_tokens\":1}");
        given().header("X-API-Key", ProxyProfile.KEY).header("anthropic-version", "2023-06-01")
                .header("anthropic-beta", "tools-1").contentType("application/json").body(body)
                .when().post("/v1/messages")
                .then().statusCode(200);
        FakeUpstream.Received got = upstream.single();
        assertEquals("/v1/messages", got.uri());
        assertArrayEquals(body, got.body());
        assertEquals(FakeUpstreamResource.TOKEN, got.header("X-API-Key"));
        assertNull(got.header("Authorization"));
        assertEquals("2023-06-01", got.header("anthropic-version"));
        assertEquals("tools-1", got.header("anthropic-beta"));
    }

    @Test
    void upstreamErrorStatusesAndBodiesPassThroughVerbatim() {
        for (int status : new int[] { 401, 429, 500 }) {
            upstream.answer((request, body) -> request.response().setStatusCode(status)
                    .putHeader("Content-Type", "application/json").putHeader("Retry-After", "3")
                    .end("{\"error\":{\"message\":\"upstream says " + status + "\"}}"));
            given().header("Authorization", "Bearer " + ProxyProfile.KEY).contentType("application/json")
                    .body(utf8("{\"model\":\"gpt-5\"}"))
                    .when().post("/v1/chat/completions")
                    .then().statusCode(status)
                    .header("Retry-After", "3")
                    .body(equalTo("{\"error\":{\"message\":\"upstream says " + status + "\"}}"));
        }
    }

    @Test
    void missingInboundKeyOnMessagesIsAnAnthropicEnvelope() {
        given().contentType("application/json").body(utf8("{}"))
                .when().post("/v1/messages")
                .then().statusCode(401)
                .contentType(containsString("application/json"))
                .body("type", equalTo("error"))
                .body("error.type", equalTo("unauthorized"));
        given().contentType("application/json").body(utf8("{}"))
                .when().post("/v1/chat/completions")
                .then().statusCode(401)
                .body("error.message", equalTo("missing API key"));
        assertEquals(0, upstream.received().size());
    }

    @Test
    void modelAsRequestedIsHandedToUsageAccounting() {
        given().header("Authorization", "Bearer " + ProxyProfile.KEY).header("X-Request-Id", "proxy-usage-1")
                .contentType("application/json").body(utf8("{\"model\":\"openai/gpt-5.5\"}"))
                .when().post("/v1/chat/completions")
                .then().statusCode(200);
        await().atMost(Duration.ofSeconds(5)).until(() -> calls.byRequestId("proxy-usage-1") != null);
        ApiCallCompleted call = calls.byRequestId("proxy-usage-1");
        assertEquals("openai/gpt-5.5", call.attributes().get("model"));
        assertEquals(200, call.status());
    }

    @Test
    void bodyWithoutContentTypeGoesUpAsJsonAndOtherMethodsAre405() throws Exception {
        java.net.http.HttpRequest request = java.net.http.HttpRequest.newBuilder(base.toURI().resolve("/v1/responses"))
                .header("Authorization", "Bearer " + ProxyProfile.KEY)
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"model\":\"gpt-5\"}")).build();
        assertEquals(200, java.net.http.HttpClient.newHttpClient()
                .send(request, java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode());
        assertEquals("application/json", upstream.single().header("Content-Type"));
        given().header("Authorization", "Bearer " + ProxyProfile.KEY)
                .when().get("/v1/messages")
                .then().statusCode(405)
                .header("Allow", "POST");
        assertEquals(1, upstream.received().size());
    }
}
