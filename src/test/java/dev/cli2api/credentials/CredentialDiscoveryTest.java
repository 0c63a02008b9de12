package dev.cli2api.credentials;

import static dev.cli2api.credentials.CredentialFiles.cachePath;
import static dev.cli2api.credentials.CredentialFiles.legacyPath;
import static dev.cli2api.credentials.CredentialFiles.now;
import static dev.cli2api.credentials.CredentialFiles.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
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
class CredentialDiscoveryTest {

    @TempDir
    Path home;

    private final FakeOAuthServer server = FakeOAuthServer.start();

    @AfterEach
    void stop() {
        server.close();
    }

    private Credential discover() {
        return CredentialFiles.discovery(home, server).discover().orElseThrow();
    }

    private String cacheSource() {
        return "file:" + cachePath(home);
    }

    // ---- environment ------------------------------------------------------------------------

    @Test
    void shouldUseEnvironmentTokenFirst() {
        write(cachePath(home), "{\"access_token\":\"from-cache\"}");

        Credential credential = CredentialFiles.discovery(home, server, "from-env").discover().orElseThrow();

        assertEquals("from-env", credential.token());
        assertEquals("env:MULERUN_TOKEN", credential.source());
        assertEquals(Credential.Origin.ENVIRONMENT, credential.origin());
        assertEquals(0, server.calls());
    }

    @Test
    void shouldTrimEnvironmentTokenAndIgnoreBlankOne() {
        write(legacyPath(home, "auth.json"), "{\"token\":\"from-file\"}");

        assertEquals("from-env", CredentialFiles.discovery(home, server, "  from-env \n").discover().orElseThrow().token());
        assertEquals("from-file", CredentialFiles.discovery(home, server, "   ").discover().orElseThrow().token());
    }

    @Test
    void shouldExchangeEnvironmentJwtAndKeepEnvironmentSource() {
        Credential credential = CredentialFiles.discovery(home, server, CredentialFiles.jwt("env")).discover().orElseThrow();

        assertEquals(FakeOAuthServer.EXCHANGED_MUK, credential.token());
        assertEquals("env:MULERUN_TOKEN", credential.source());
        assertEquals(1, server.exchanges().size());
        assertFalse(Files.exists(cachePath(home)), "an environment JWT is never cached");
    }

    @Test
    void shouldUseEnvironmentMukKeyWithoutNetwork() {
        assertEquals("muk-env", CredentialFiles.discovery(home, server, "muk-env").discover().orElseThrow().token());
        assertEquals(0, server.calls());
    }

    @Test
    void shouldFallBackToRawEnvironmentJwtWhenExchangeFails() {
        server.exchangeReplies(403, "{\"code\":\"FORBIDDEN\"}");
        String jwt = CredentialFiles.jwt("env");

        assertEquals(jwt, CredentialFiles.discovery(home, server, jwt).discover().orElseThrow().token());
    }

    @Test
    void shouldNotNeedHomeForEnvironmentToken() {
        CredentialDiscovery noHome = new CredentialDiscovery(Optional.of("muk-env"), Optional.empty(), Optional.empty(),
                CredentialFiles.client(server.baseUrl()), Clock.systemUTC());

        assertEquals("muk-env", noHome.discover().orElseThrow().token());
    }

    @Test
    void shouldRefuseATokenAHeaderCannotCarryWithoutQuotingIt() {
        // a regression: MULERUN_TOKEN with a line break hung chat calls and was quoted in client errors and logs
        CredentialDiscovery broken = new CredentialDiscovery(Optional.of("muk-sec\nretTOK"), Optional.empty(),
                Optional.empty(), CredentialFiles.client(server.baseUrl()), Clock.systemUTC());

        CredentialDiscoveryException e = assertThrows(CredentialDiscoveryException.class, broken::discover);
        assertEquals("discover mulerun token: the token from env:MULERUN_TOKEN holds a character an HTTP header "
                + "cannot carry (at 7)", e.getMessage());
    }

    @Test
    void shouldFailWhenHomeCannotBeLocated() {
        CredentialDiscovery noHome = new CredentialDiscovery(Optional.empty(), Optional.empty(), Optional.empty(),
                CredentialFiles.client(server.baseUrl()), Clock.systemUTC());

        CredentialDiscoveryException e = assertThrows(CredentialDiscoveryException.class, noHome::discover);
        assertTrue(e.getMessage().startsWith("discover mulerun token: locate home dir: "), e.getMessage());
    }

    // ---- legacy files -----------------------------------------------------------------------

    @Test
    void shouldReadLegacyAuthFile() {
        Path auth = write(legacyPath(home, "auth.json"), "{\"access_token\":\"from-file\"}");

        Credential credential = discover();

        assertEquals("from-file", credential.token());
        assertEquals("file:" + auth.toAbsolutePath(), credential.source());
        assertEquals(Credential.Origin.LEGACY_FILE, credential.origin());
    }

    @Test
    void shouldReturnEmptyWithoutErrorWhenNothingIsConfigured() {
        assertTrue(CredentialFiles.discovery(home, server).discover().isEmpty());
    }

    @Test
    void shouldSkipLegacyFileWithoutTokenKeys() {
        write(legacyPath(home, "auth.json"), "{}");
        write(legacyPath(home, "token.json"), "{\"token\":\"fallback-token\"}");

        assertEquals("fallback-token", discover().token());
    }

    @Test
    void shouldSkipUnreadableLegacyFileAndContinue() {
        write(legacyPath(home, "auth.json"), "{not json");
        write(legacyPath(home, "credentials.json"), "{\"accessToken\":\"  from-credentials  \"}");

        assertEquals("from-credentials", discover().token());
    }

    @Test
    void shouldSkipExpiredLegacyFileAndUseFirstNonBlankKey() {
        write(legacyPath(home, "auth.json"), "{\"token\":\"expired\",\"expires_at\":1}");
        write(legacyPath(home, "credentials.json"), "{\"token\":\"  \",\"access_token\":42,\"accessToken\":\"third-key\"}");

        assertEquals("third-key", discover().token());
    }

    @Test
    void shouldExchangeLegacyJwtWithoutWritingAnyCache() {
        write(legacyPath(home, "auth.json"), "{\"token\":\"" + CredentialFiles.jwt("legacy") + "\"}");

        assertEquals(FakeOAuthServer.EXCHANGED_MUK, discover().token());
        assertFalse(Files.exists(cachePath(home)));
    }

    // ---- OAuth cache: plain reads -----------------------------------------------------------

    @Test
    void shouldUseNonJwtCacheTokenVerbatim() {
        write(cachePath(home), "{\"access_token\":\"from-oauth-cache\",\"expires_at\":" + (now() + 3600) + "}");

        Credential credential = discover();

        assertEquals("from-oauth-cache", credential.token());
        assertEquals(cacheSource(), credential.source());
        assertTrue(credential.source().contains("oauth_cache.json"));
        assertEquals(Credential.Origin.OAUTH_CACHE, credential.origin());
        assertEquals(0, server.calls());
    }

    @Test
    void shouldPreferCacheOverLegacyFile() {
        write(cachePath(home), "{\"access_token\":\"from-oauth-cache\"}");
        write(legacyPath(home, "auth.json"), "{\"token\":\"from-legacy\"}");

        assertEquals("from-oauth-cache", discover().token());
    }

    @Test
    void shouldHonourCacheOverridePath() {
        Path custom = write(home.resolve("state/custom_cache.json"), "{\"cli2api_muk_key\":\"muk-custom\"}");
        CredentialDiscovery discovery = new CredentialDiscovery(Optional.empty(), Optional.of(home), Optional.of(custom),
                CredentialFiles.client(server.baseUrl()), Clock.systemUTC());

        Credential credential = discovery.discover().orElseThrow();

        assertEquals("muk-custom", credential.token());
        assertEquals("file:" + custom + " (cached muk-)", credential.source());
    }

    @Test
    void shouldFallThroughToLegacyWhenCacheExpiredWithoutRefreshToken() {
        write(cachePath(home), "{\"access_token\":\"expired-access\",\"expires_at\":1}");
        write(legacyPath(home, "auth.json"), "{\"token\":\"recovered\"}");

        assertEquals("recovered", discover().token());
        assertEquals(0, server.calls());
    }

    @Test
    void shouldServeCachedMukWhenCacheExpiredWithoutRefreshToken() {
        write(cachePath(home), "{\"access_token\":\"expired-access\",\"expires_at\":1,\"cli2api_muk_key\":\"muk-cached\"}");

        Credential credential = discover();

        assertEquals("muk-cached", credential.token());
        assertEquals(cacheSource() + " (cached muk-)", credential.source());
    }

    @Test
    void shouldSkipCacheWithNeitherAccessTokenNorMuk() {
        write(cachePath(home), "{\"refresh_token\":\"rt\",\"expires_at\":1}");
        write(legacyPath(home, "auth.json"), "{\"token\":\"from-legacy\"}");

        assertEquals("from-legacy", discover().token());
        assertEquals(0, server.calls());
    }

    @Test
    void shouldFallThroughToLegacyWhenCacheIsMode000() throws IOException {
        Path cache = write(cachePath(home), "{\"access_token\":\"from-oauth-cache\"}");
        write(legacyPath(home, "auth.json"), "{\"token\":\"from-legacy\"}");
        Files.setPosixFilePermissions(cache, PosixFilePermissions.fromString("---------"));
        // root reads mode-000 files anyway; shouldFallThroughToLegacyWhenCacheCannotBeRead covers that case
        assumeFalse(Files.isReadable(cache), "running as root: file modes are not enforced");

        assertEquals("from-legacy", discover().token());
    }

    @Test
    void shouldFallThroughToLegacyWhenCacheCannotBeRead() throws IOException {
        // a directory at the cache path fails to read for every user, root included
        Files.createDirectories(cachePath(home));
        write(legacyPath(home, "auth.json"), "{\"token\":\"from-legacy\"}");

        assertEquals("from-legacy", discover().token());
    }

    @Test
    void shouldFallThroughToLegacyWhenCacheIsCorrupt() {
        write(cachePath(home), "{\"access_token\":");
        write(legacyPath(home, "auth.json"), "{\"token\":\"from-legacy\"}");

        assertEquals("from-legacy", discover().token());
    }

    @Test
    void shouldProceedUnlockedWhenCacheDirectoryIsReadOnly() throws IOException {
        Path cache = write(cachePath(home), "{\"access_token\":\"from-oauth-cache\"}");
        Path dir = cache.getParent();
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("r-x------"));
        try {
            assumeFalse(Files.isWritable(dir), "running as root: directory modes are not enforced");

            assertEquals("from-oauth-cache", discover().token());
        } finally {
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        }
    }

    @Test
    void shouldSkipCacheWhenTheLockFails() throws IOException {
        Path cache = write(cachePath(home), "{\"access_token\":\"from-oauth-cache\"}");
        write(legacyPath(home, "auth.json"), "{\"token\":\"from-legacy\"}");
        // a lock this JVM already holds outside CacheLock makes the next lock attempt fail outright
        try (FileChannel channel = FileChannel.open(CacheLock.lockFile(cache), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE);
                FileLock held = channel.lock()) {

            assertEquals("from-legacy", discover().token());
        }
    }

    // ---- OAuth cache: cached muk and exchange ----------------------------------------------

    @Test
    void shouldServeCachedMukWithoutAnyHttpCall() {
        write(cachePath(home), "{\"access_token\":\"" + CredentialFiles.jwt("a") + "\",\"cli2api_muk_key\":\"muk-cached\"}");

        Credential credential = discover();

        assertEquals("muk-cached", credential.token());
        assertTrue(credential.source().contains("cached muk-"), credential.source());
        assertEquals(0, server.calls());
    }

    @Test
    void shouldPersistExchangedMukSoTheNextDiscoveryMakesNoCall() {
        Path cache = write(cachePath(home),
                "{\"access_token\":\"" + CredentialFiles.jwt("a") + "\",\"base_url\":\"https://mulerun.com\",\"extra\":[1,2]}");

        Credential first = discover();

        assertEquals(FakeOAuthServer.EXCHANGED_MUK, first.token());
        assertEquals(cacheSource(), first.source());
        JsonNode written = CredentialFiles.readJson(cache);
        assertEquals(FakeOAuthServer.EXCHANGED_MUK, written.get("cli2api_muk_key").asText());
        assertEquals("https://mulerun.com", written.get("base_url").asText());
        assertEquals("[1,2]", written.get("extra").toString());
        assertEquals("rw-------", CredentialFiles.mode(cache));

        Credential second = discover();

        assertEquals(FakeOAuthServer.EXCHANGED_MUK, second.token());
        assertEquals(cacheSource() + " (cached muk-)", second.source());
        assertEquals(1, server.exchanges().size());
    }

    @Test
    void shouldKeepRawCacheJwtWhenExchangeFails() {
        String jwt = CredentialFiles.jwt("a");
        Path cache = write(cachePath(home), "{\"access_token\":\"" + jwt + "\"}");
        server.exchangeReturnsKey("sk-leaked");

        assertEquals(jwt, discover().token());
        assertFalse(CredentialFiles.readJson(cache).has("cli2api_muk_key"));
    }

    // ---- OAuth cache: refresh ---------------------------------------------------------------

    @Test
    void shouldRefreshExpiredCacheExchangeAndPersistRotatedTokens() {
        Path cache = write(cachePath(home), """
                {"access_token":"%s","refresh_token":"rt-original","expires_at":1,
                 "base_url":"https://mulerun.com","cli2api_muk_key":"muk-stale"}""".formatted(CredentialFiles.jwt("old")));

        Credential credential = discover();

        assertEquals(FakeOAuthServer.EXCHANGED_MUK, credential.token());
        assertEquals(cacheSource(), credential.source());
        assertEquals(1, server.refreshes().size());
        assertEquals(1, server.exchanges().size());
        assertEquals("Bearer " + FakeOAuthServer.REFRESHED_JWT, server.exchanges().get(0).header("Authorization"));
        JsonNode written = CredentialFiles.readJson(cache);
        assertEquals(FakeOAuthServer.REFRESHED_JWT, written.get("access_token").asText());
        assertEquals(FakeOAuthServer.ROTATED_REFRESH_TOKEN, written.get("refresh_token").asText());
        assertEquals("https://mulerun.com", written.get("base_url").asText());
        assertTrue(written.get("expires_at").asLong() >= now() + 3000, written.toString());
        assertEquals(FakeOAuthServer.EXCHANGED_MUK, written.get("cli2api_muk_key").asText());
        assertEquals("rw-------", CredentialFiles.mode(cache));
    }

    @Test
    void shouldKeepRefreshTokenWhenServerDoesNotRotateIt() {
        Path cache = write(cachePath(home), "{\"access_token\":\"old\",\"refresh_token\":\"rt-keep\",\"expires_at\":1}");
        server.refreshReplies(200, "{\"access_token\":\"plain-new-access\",\"expires_in\":3600}");

        assertEquals("plain-new-access", discover().token());
        assertEquals("rt-keep", CredentialFiles.readJson(cache).get("refresh_token").asText());
    }

    @Test
    void shouldFallThroughToLegacyWhenRefreshIsRejected() {
        Path cache = write(cachePath(home), "{\"access_token\":\"old\",\"refresh_token\":\"rt\",\"expires_at\":1,"
                + "\"cli2api_muk_key\":\"muk-stale\"}");
        write(legacyPath(home, "auth.json"), "{\"token\":\"muk-legacy\"}");
        server.refreshReplies(400, "{\"error\":\"invalid_grant\",\"error_description\":\"expired\"}");

        assertEquals("muk-legacy", discover().token());
        assertEquals("rt", CredentialFiles.readJson(cache).get("refresh_token").asText(), "cache left untouched");
    }

    @Test
    void shouldKeepCachedMukWhenRefreshFailsTransiently() {
        write(cachePath(home), "{\"access_token\":\"old\",\"refresh_token\":\"rt\",\"expires_at\":1,"
                + "\"cli2api_muk_key\":\"muk-cached\"}");
        write(legacyPath(home, "auth.json"), "{\"token\":\"muk-legacy\"}");
        server.refreshReplies(502, "bad gateway");

        Credential credential = discover();

        assertEquals("muk-cached", credential.token());
        assertTrue(credential.source().endsWith("(cached muk-)"));
    }

    @Test
    void shouldUseCurrentAccessTokenWhenRefreshServerIsUnreachable() {
        write(cachePath(home), "{\"access_token\":\"still-current\",\"refresh_token\":\"rt\",\"expires_at\":1}");
        CredentialDiscovery unreachable = new CredentialDiscovery(Optional.empty(), Optional.of(home), Optional.empty(),
                CredentialFiles.client(CredentialFiles.refusingBaseUrl()), Clock.systemUTC());

        assertEquals("still-current", unreachable.discover().orElseThrow().token());
    }

    @Test
    void shouldRefreshOnceForFourConcurrentDiscoveries() throws Exception {
        write(cachePath(home), "{\"access_token\":\"old\",\"refresh_token\":\"rt\",\"expires_at\":1}");
        // a slow token endpoint keeps the first refresh in flight while the others arrive
        server.delayAnswers(Duration.ofMillis(200));
        int discoveries = 4;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(discoveries);
        List<Future<Credential>> results = new ArrayList<>();
        try {
            for (int i = 0; i < discoveries; i++) {
                results.add(pool.submit(() -> {
                    start.await();
                    return CredentialFiles.discovery(home, server).discover().orElseThrow();
                }));
            }
            start.countDown();
            for (Future<Credential> result : results) {
                assertEquals(FakeOAuthServer.EXCHANGED_MUK, result.get().token());
            }
        } finally {
            pool.shutdownNow();
        }

        assertEquals(1, server.refreshes().size());
        assertEquals(1, server.exchanges().size());
    }
}
