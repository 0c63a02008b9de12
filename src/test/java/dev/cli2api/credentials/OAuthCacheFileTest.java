package dev.cli2api.credentials;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

class OAuthCacheFileTest {

    @TempDir
    Path home;

    @Test
    void shouldPreserveUnknownKeysOnRoundTrip() throws IOException {
        Path cache = CredentialFiles.write(CredentialFiles.cachePath(home), """
                {"access_token":"acc_1","refresh_token":"rt_1","expires_at":1893456000,
                 "base_url":"https://mulerun.com","scopes":["studio","chat"],"account":{"id":42},
                 "huge":123456789012345678901234567890,"price":1.10,"note":"kept"}""");

        OAuthCache entry = OAuthCacheFile.read(cache).orElseThrow();
        entry.accessToken("acc_2");
        OAuthCacheFile.write(cache, entry);

        JsonNode written = CredentialFiles.readJson(cache);
        assertEquals("acc_2", written.get("access_token").asText());
        assertEquals("kept", written.get("note").asText());
        assertEquals("[\"studio\",\"chat\"]", written.get("scopes").toString());
        assertEquals(42, written.get("account").get("id").asInt());
        assertEquals("https://mulerun.com", written.get("base_url").asText());
        String raw = Files.readString(cache);
        assertTrue(raw.contains("123456789012345678901234567890"), raw);
        assertTrue(raw.contains("1.10"), raw);
    }

    @Test
    void shouldOmitZeroExpiresAtAndReadItBackAsZero() throws IOException {
        Path cache = CredentialFiles.cachePath(home);
        OAuthCache entry = OAuthCache.empty();
        entry.accessToken("acc_1");
        entry.expiresAt(0);

        OAuthCacheFile.write(cache, entry);

        assertFalse(CredentialFiles.readJson(cache).has("expires_at"));
        assertEquals(0, OAuthCacheFile.read(cache).orElseThrow().expiresAt());
    }

    @Test
    void shouldDropEmptyKnownKeysOnWrite() throws IOException {
        Path cache = CredentialFiles.write(CredentialFiles.cachePath(home),
                "{\"access_token\":\"acc_1\",\"cli2api_muk_key\":\"muk-old\",\"refresh_token\":\"\"}");
        OAuthCache entry = OAuthCacheFile.read(cache).orElseThrow();
        entry.mukKey(null);

        OAuthCacheFile.write(cache, entry);

        JsonNode written = CredentialFiles.readJson(cache);
        assertFalse(written.has("cli2api_muk_key"));
        assertFalse(written.has("refresh_token"));
    }

    @Test
    void shouldCreateDirectory0700AndFile0600() throws IOException {
        Path cache = home.resolve("fresh/dir/oauth_cache.json");
        OAuthCache entry = OAuthCache.empty();
        entry.accessToken("acc_1");

        OAuthCacheFile.write(cache, entry);

        assertEquals("rwx------", CredentialFiles.mode(cache.getParent()));
        assertEquals("rw-------", CredentialFiles.mode(cache));
    }

    @Test
    void shouldTightenModeOfAnExistingWorldReadableFile() throws IOException {
        Path cache = CredentialFiles.write(CredentialFiles.cachePath(home), "{\"access_token\":\"acc_1\"}");
        Files.setPosixFilePermissions(cache, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));

        OAuthCacheFile.write(cache, OAuthCacheFile.read(cache).orElseThrow());

        assertEquals("rw-------", CredentialFiles.mode(cache));
    }

    @Test
    void shouldLeaveValidJsonAndNoTempFilesAfter30ConcurrentWriters() throws Exception {
        Path cache = CredentialFiles.cachePath(home);
        int writers = 30;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            List<Future<Void>> done = new ArrayList<>();
            for (int i = 0; i < writers; i++) {
                String token = "acc_" + i;
                done.add(pool.submit(() -> {
                    OAuthCache entry = OAuthCache.empty();
                    entry.accessToken(token);
                    entry.refreshToken("rt_" + token);
                    start.await();
                    OAuthCacheFile.write(cache, entry);
                    return null;
                }));
            }
            start.countDown();
            for (Future<Void> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }

        JsonNode written = CredentialFiles.readJson(cache);
        assertTrue(written.get("access_token").asText().startsWith("acc_"), written.toString());
        assertEquals("rt_" + written.get("access_token").asText(), written.get("refresh_token").asText());
        try (Stream<Path> files = Files.list(cache.getParent())) {
            assertEquals(List.of(), files.filter(p -> p.getFileName().toString().endsWith(".tmp")).toList());
        }
    }

    @Test
    void shouldNotQuoteFileContentWhenJsonIsCorrupt() {
        Path cache = CredentialFiles.write(CredentialFiles.cachePath(home), "{\"access_token\": muk-secret-in-broken-json}");

        IOException e = assertThrows(IOException.class, () -> OAuthCacheFile.read(cache));

        assertFalse(e.getMessage().contains("secret"), e.getMessage());
    }

    @Test
    void shouldRejectKnownKeysOfTheWrongType() {
        Path cache = CredentialFiles.write(CredentialFiles.cachePath(home), "{\"access_token\":42}");

        assertThrows(IOException.class, () -> OAuthCacheFile.read(cache));
    }

    @Test
    void shouldReadMissingFileAsEmpty() throws IOException {
        assertTrue(OAuthCacheFile.read(home.resolve("missing.json")).isEmpty());
    }
}
