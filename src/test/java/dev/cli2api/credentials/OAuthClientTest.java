package dev.cli2api.credentials;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

// inside Quarkus: the OAuth calls go through a typed REST client, which Quarkus builds
@io.quarkus.test.junit.QuarkusTest
class OAuthClientTest {

    private final FakeOAuthServer server = FakeOAuthServer.start();
    private final OAuthClient client = CredentialFiles.client(server.baseUrl());

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void shouldExchangeJwtWithBearerHeaderAndNoBody() throws Exception {
        String jwt = CredentialFiles.jwt("exchange");

        assertEquals(FakeOAuthServer.EXCHANGED_MUK, client.exchange(jwt));

        assertEquals(1, server.exchanges().size());
        FakeOAuthServer.Received request = server.exchanges().get(0);
        assertEquals("POST", request.method());
        assertEquals("Bearer " + jwt, request.header("Authorization"));
        assertEquals("application/json", request.header("Content-Type"));
        assertEquals("", request.body());
    }

    @Test
    void shouldReportHttpStatusWhenExchangeIsForbidden() {
        server.exchangeReplies(403, "{\"code\":\"FORBIDDEN\",\"message\":\"token revoked\"}");

        OAuthException e = assertThrows(OAuthException.class, () -> client.exchange(CredentialFiles.jwt("x")));

        assertTrue(e.getMessage().startsWith("cli-token: HTTP 403: "), e.getMessage());
        assertTrue(e.getMessage().contains("token revoked"), e.getMessage());
        assertFalse(e.isTransient());
    }

    @Test
    void shouldCapExchangeErrorBodyAt200CharactersAndMaskAnEchoedJwt() {
        String jwt = CredentialFiles.jwt("echoed");
        server.exchangeReplies(401, jwt + "x".repeat(500));

        OAuthException e = assertThrows(OAuthException.class, () -> client.exchange(jwt));

        String body = e.getMessage().substring("cli-token: HTTP 401: ".length());
        assertEquals(200, body.length());
        assertFalse(e.getMessage().contains(jwt), e.getMessage());
    }

    @Test
    void shouldTreatExchangeServerErrorAsTransient() {
        server.exchangeReplies(503, "busy");

        OAuthException e = assertThrows(OAuthException.class, () -> client.exchange(CredentialFiles.jwt("x")));

        assertTrue(e.getMessage().contains("HTTP 503"), e.getMessage());
        assertTrue(e.isTransient());
    }

    @Test
    void shouldRejectExchangeAnswerWithoutKey() {
        server.exchangeReplies(200, "{\"code\":\"SUCCESS\",\"data\":{}}");

        OAuthException e = assertThrows(OAuthException.class, () -> client.exchange(CredentialFiles.jwt("x")));

        assertTrue(e.getMessage().contains("data.key"), e.getMessage());
    }

    @Test
    void shouldRejectExchangedKeyWithUnexpectedPrefixWithoutQuotingIt() {
        server.exchangeReturnsKey("sk-leaked");

        OAuthException e = assertThrows(OAuthException.class, () -> client.exchange(CredentialFiles.jwt("x")));

        assertTrue(e.getMessage().contains("unexpected prefix"), e.getMessage());
        assertFalse(e.getMessage().contains("sk-leaked"), e.getMessage());
    }

    @Test
    void shouldRejectUnparsableExchangeAnswer() {
        server.exchangeReplies(200, "<html>oops</html>");

        assertThrows(OAuthException.class, () -> client.exchange(CredentialFiles.jwt("x")));
    }

    @Test
    void shouldRefreshWithFormEncodedGrant() throws Exception {
        OAuthClient.RefreshedTokens tokens = client.refresh("rt-original+/=");

        assertEquals(FakeOAuthServer.REFRESHED_JWT, tokens.accessToken());
        assertEquals(FakeOAuthServer.ROTATED_REFRESH_TOKEN, tokens.refreshToken());
        assertEquals(3600, tokens.expiresIn());
        assertEquals(1, server.refreshes().size());
        FakeOAuthServer.Received request = server.refreshes().get(0);
        assertEquals("POST", request.method());
        assertEquals("application/x-www-form-urlencoded", request.header("Content-Type"));
        assertEquals(Map.of("grant_type", "refresh_token", "refresh_token", "rt-original+/=", "client_id", "mulerun-cli"),
                form(request.body()));
    }

    @Test
    void shouldReportInvalidGrantAsPermanent() {
        server.refreshReplies(400, "{\"error\":\"invalid_grant\",\"error_description\":\"refresh token revoked\"}");

        OAuthException e = assertThrows(OAuthException.class, () -> client.refresh("rt"));

        assertEquals("oauth2/token: invalid_grant: refresh token revoked", e.getMessage());
        assertFalse(e.isTransient());
    }

    @Test
    void shouldNeverQuoteTheRefreshTokenAnErrorEchoes() {
        // a regression: "refresh token rt-secret revoked" went into the WARN of every failed refresh
        server.refreshReplies(400, "{\"error\":\"invalid_grant\",\"error_description\":\"refresh token "
                + "rt-secret revoked\"}");

        OAuthException e = assertThrows(OAuthException.class, () -> client.refresh("rt-secret"));

        assertEquals("oauth2/token: invalid_grant: refresh token *** revoked", e.getMessage());
    }

    @Test
    void shouldReportBadGatewayAsTransientBeforeParsing() {
        server.refreshReplies(502, "{\"error\":\"would-be-permanent\"}");

        OAuthException e = assertThrows(OAuthException.class, () -> client.refresh("rt"));

        assertTrue(e.getMessage().contains("HTTP 502"), e.getMessage());
        assertTrue(e.isTransient());
    }

    @Test
    void shouldReportUnparsableBadRequestAsPermanent() {
        server.refreshReplies(400, "bad request");

        OAuthException e = assertThrows(OAuthException.class, () -> client.refresh("rt"));

        assertFalse(e.isTransient());
    }

    @Test
    void shouldReportAnswerWithoutAccessTokenAsPermanent() {
        server.refreshReplies(200, "{\"token_type\":\"Bearer\"}");

        OAuthException e = assertThrows(OAuthException.class, () -> client.refresh("rt"));

        assertTrue(e.getMessage().contains("access_token"), e.getMessage());
        assertFalse(e.isTransient());
    }

    @Test
    void shouldReportConnectionRefusedAsTransient() {
        OAuthClient refused = CredentialFiles.client(CredentialFiles.refusingBaseUrl());

        assertTrue(assertThrows(OAuthException.class, () -> refused.refresh("rt")).isTransient());
        assertTrue(assertThrows(OAuthException.class, () -> refused.exchange(CredentialFiles.jwt("x"))).isTransient());
    }

    @Test
    void shouldGiveUpAfterTheConfiguredTimeoutAsTransient() {
        server.delayAnswers(Duration.ofSeconds(5));
        OAuthClient impatient = new OAuthClient(server.baseUrl(), Duration.ofMillis(300));

        long started = System.nanoTime();
        OAuthException e = assertThrows(OAuthException.class, () -> impatient.refresh("rt"));
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertTrue(e.isTransient());
        assertTrue(took.compareTo(Duration.ofSeconds(4)) < 0, "took " + took);
    }

    @Test
    void shouldReadAtMost64KibOfAnAnswer() {
        server.refreshReplies(200, "{\"access_token\":\"" + "a".repeat(OAuthClient.MAX_BODY_BYTES) + "\"}");

        OAuthException e = assertThrows(OAuthException.class, () -> client.refresh("rt"));

        assertTrue(e.getMessage().contains("invalid JSON"), e.getMessage());
    }

    private static Map<String, String> form(String body) {
        return Arrays.stream(body.split("&"))
                .map(pair -> pair.split("=", 2))
                .collect(Collectors.toMap(kv -> kv[0], kv -> URLDecoder.decode(kv[1], StandardCharsets.UTF_8)));
    }
}
