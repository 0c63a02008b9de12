package dev.cli2api.credentials;

import static dev.cli2api.credentials.CredentialFiles.cachePath;
import static dev.cli2api.credentials.CredentialFiles.legacyPath;
import static dev.cli2api.credentials.CredentialFiles.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

// inside Quarkus: the OAuth calls go through a typed REST client, which Quarkus builds
@io.quarkus.test.junit.QuarkusTest
class UpstreamCredentialsTest {

    private static final String FIRST_MUK = "muk-first-0001";
    private static final String SECOND_MUK = "muk-second-0002";
    private static final String ACCESS_JWT = CredentialFiles.jwt("access");

    @TempDir
    Path home;

    private final FakeOAuthServer server = FakeOAuthServer.start();

    @AfterEach
    void stop() {
        server.close();
    }

    private UpstreamCredentials credentials() {
        return new UpstreamCredentials(CredentialFiles.discovery(home, server));
    }

    /** A cache as mulerun-cli plus one earlier exchange leave it: a valid JWT, a refresh token and a cached muk. */
    private Path cacheWithMuk(String muk) {
        return write(cachePath(home), """
                {"access_token":"%s","refresh_token":"rt-original","base_url":"https://mulerun.com",
                 "cli2api_muk_key":"%s"}""".formatted(ACCESS_JWT, muk));
    }

    @Test
    void shouldDiscoverOnceAndKeepTheResult() {
        write(legacyPath(home, "auth.json"), "{\"token\":\"first\"}");
        UpstreamCredentials credentials = credentials();

        assertEquals("first", credentials.discover().orElseThrow().token());
        write(legacyPath(home, "auth.json"), "{\"token\":\"second\"}");

        assertEquals("first", credentials.discover().orElseThrow().token());
        assertEquals("first", credentials.current().orElseThrow().token());
    }

    @Test
    void shouldDiscoverLazilyOnFirstUse() {
        write(legacyPath(home, "auth.json"), "{\"token\":\"lazy\"}");

        assertEquals("lazy", credentials().current().orElseThrow().token());
    }

    @Test
    void shouldReportNothingWhenNothingIsConfigured() {
        UpstreamCredentials credentials = credentials();

        assertTrue(credentials.discover().isEmpty());
        assertTrue(credentials.refreshAfterUnauthorized("anything").isEmpty());
    }

    @Test
    void shouldNotRefreshEnvironmentToken() {
        UpstreamCredentials credentials = new UpstreamCredentials(CredentialFiles.discovery(home, server, "muk-env"));
        cacheWithMuk(FIRST_MUK);

        assertTrue(credentials.refreshAfterUnauthorized("muk-env").isEmpty());
        assertEquals("muk-env", credentials.current().orElseThrow().token());
        assertEquals(0, server.calls());
    }

    @Test
    void shouldNotRefreshLegacyToken() {
        write(legacyPath(home, "auth.json"), "{\"token\":\"muk-legacy\"}");

        assertTrue(credentials().refreshAfterUnauthorized("muk-legacy").isEmpty());
        assertEquals(0, server.calls());
    }

    @Test
    void shouldRefreshExchangePersistAndSwapAfterUnauthorized() {
        Path cache = cacheWithMuk(FIRST_MUK);
        UpstreamCredentials credentials = credentials();
        assertEquals(FIRST_MUK, credentials.discover().orElseThrow().token());
        server.exchangeReturnsKey(SECOND_MUK);

        assertEquals(Optional.of(SECOND_MUK), credentials.refreshAfterUnauthorized(FIRST_MUK));

        assertEquals(SECOND_MUK, credentials.current().orElseThrow().token());
        assertEquals("file:" + cache, credentials.current().orElseThrow().source());
        assertEquals(1, server.refreshes().size());
        assertEquals(1, server.exchanges().size());
        JsonNode written = CredentialFiles.readJson(cache);
        assertEquals(SECOND_MUK, written.get("cli2api_muk_key").asText());
        assertEquals(FakeOAuthServer.REFRESHED_JWT, written.get("access_token").asText());
        assertEquals(FakeOAuthServer.ROTATED_REFRESH_TOKEN, written.get("refresh_token").asText());
        assertEquals("https://mulerun.com", written.get("base_url").asText());
    }

    @Test
    void shouldRefreshOnceForConcurrentCallersWithTheSameRejectedToken() throws Exception {
        cacheWithMuk(FIRST_MUK);
        UpstreamCredentials credentials = credentials();
        credentials.discover();
        server.exchangeReturnsKey(SECOND_MUK).delayAnswers(Duration.ofMillis(100));
        int callers = 8;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        List<Future<Optional<String>>> results = new ArrayList<>();
        try {
            for (int i = 0; i < callers; i++) {
                results.add(pool.submit(() -> {
                    start.await();
                    return credentials.refreshAfterUnauthorized(FIRST_MUK);
                }));
            }
            start.countDown();
            for (Future<Optional<String>> result : results) {
                assertEquals(Optional.of(SECOND_MUK), result.get());
            }
        } finally {
            pool.shutdownNow();
        }

        assertEquals(1, server.refreshes().size());
        assertEquals(1, server.exchanges().size());
    }

    @Test
    void shouldRefreshOnceAcrossInstancesSharingTheCache() throws Exception {
        // two service instances on one cache file (as two processes would be): the second adopts the first's tokens
        cacheWithMuk(FIRST_MUK);
        UpstreamCredentials one = credentials();
        UpstreamCredentials two = credentials();
        one.discover();
        two.discover();
        server.exchangeReturnsKey(SECOND_MUK);

        assertEquals(Optional.of(SECOND_MUK), one.refreshAfterUnauthorized(FIRST_MUK));
        assertEquals(Optional.of(SECOND_MUK), two.refreshAfterUnauthorized(FIRST_MUK));

        assertEquals(1, server.refreshes().size());
        assertEquals(1, server.exchanges().size());
    }

    @Test
    void shouldAdoptTokensAnotherProcessAlreadyRotated() {
        Path cache = cacheWithMuk(FIRST_MUK);
        UpstreamCredentials credentials = credentials();
        credentials.discover();
        write(cache, """
                {"access_token":"%s","refresh_token":"rt-other","cli2api_muk_key":"%s"}"""
                .formatted(CredentialFiles.jwt("rotated-elsewhere"), SECOND_MUK));

        assertEquals(Optional.of(SECOND_MUK), credentials.refreshAfterUnauthorized(FIRST_MUK));
        assertEquals(0, server.calls());
    }

    @Test
    void shouldExchangeAccessTokenAnotherProcessRotatedWithoutExchanging() {
        Path cache = cacheWithMuk(FIRST_MUK);
        UpstreamCredentials credentials = credentials();
        credentials.discover();
        write(cache, "{\"access_token\":\"%s\",\"refresh_token\":\"rt-other\"}".formatted(CredentialFiles.jwt("other")));
        server.exchangeReturnsKey(SECOND_MUK);

        assertEquals(Optional.of(SECOND_MUK), credentials.refreshAfterUnauthorized(FIRST_MUK));
        assertEquals(0, server.refreshes().size());
        assertEquals(1, server.exchanges().size());
    }

    @Test
    void shouldAnswerWithCurrentTokenWhenRejectedOneWasAlreadyReplaced() {
        cacheWithMuk(FIRST_MUK);
        UpstreamCredentials credentials = credentials();
        credentials.discover();
        server.exchangeReturnsKey(SECOND_MUK);
        credentials.refreshAfterUnauthorized(FIRST_MUK);

        assertEquals(Optional.of(SECOND_MUK), credentials.refreshAfterUnauthorized(FIRST_MUK));
        assertEquals(1, server.refreshes().size());
    }

    @Test
    void shouldGiveUpWithoutRefreshToken() {
        write(cachePath(home), "{\"access_token\":\"%s\",\"cli2api_muk_key\":\"%s\"}".formatted(ACCESS_JWT, FIRST_MUK));
        UpstreamCredentials credentials = credentials();
        credentials.discover();

        assertTrue(credentials.refreshAfterUnauthorized(FIRST_MUK).isEmpty());
        assertEquals(0, server.calls());
    }

    @Test
    void shouldKeepCurrentCredentialWhenRefreshIsRejected() {
        cacheWithMuk(FIRST_MUK);
        UpstreamCredentials credentials = credentials();
        credentials.discover();
        server.refreshReplies(400, "{\"error\":\"invalid_grant\"}");

        assertTrue(credentials.refreshAfterUnauthorized(FIRST_MUK).isEmpty());
        assertEquals(FIRST_MUK, credentials.current().orElseThrow().token());
    }

    @Test
    void shouldKeepCurrentCredentialWhenRefreshServerIsDown() {
        cacheWithMuk(FIRST_MUK);
        UpstreamCredentials credentials = credentials();
        credentials.discover();
        server.refreshReplies(503, "unavailable");

        assertTrue(credentials.refreshAfterUnauthorized(FIRST_MUK).isEmpty());
        assertEquals(FIRST_MUK, credentials.current().orElseThrow().token());
        assertEquals(FIRST_MUK, CredentialFiles.readJson(cachePath(home)).get("cli2api_muk_key").asText());
    }

    @Test
    void shouldReportNothingNewWhenRefreshYieldsTheRejectedKey() {
        cacheWithMuk(FIRST_MUK);
        UpstreamCredentials credentials = credentials();
        credentials.discover();
        server.exchangeReturnsKey(FIRST_MUK);

        assertTrue(credentials.refreshAfterUnauthorized(FIRST_MUK).isEmpty());
        assertEquals(1, server.refreshes().size());
    }

    @Test
    void shouldRefreshOnAWorkerThreadForAsyncCallers() {
        cacheWithMuk(FIRST_MUK);
        UpstreamCredentials credentials = credentials();
        credentials.discover();
        server.exchangeReturnsKey(SECOND_MUK);

        Optional<String> refreshed = credentials.refreshAfterUnauthorizedAsync(FIRST_MUK)
                .await().atMost(Duration.ofSeconds(10));

        assertEquals(Optional.of(SECOND_MUK), refreshed);
    }

    @Test
    void shouldLocateHomeFromHomeVariableThenUserHome() {
        assertEquals(Optional.of(Path.of("/home/env")), UpstreamCredentials.homeDirectory("/home/env", "/home/jvm"));
        assertEquals(Optional.of(Path.of("/home/jvm")), UpstreamCredentials.homeDirectory("  ", "/home/jvm"));
        assertEquals(Optional.empty(), UpstreamCredentials.homeDirectory(null, "?"));
    }
}
