package dev.cli2api.credentials;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Test fixtures: credential files in a temporary home, JWT-shaped strings, discoveries wired to a fake server. */
final class CredentialFiles {

    static final Duration TEST_TIMEOUT = Duration.ofSeconds(5);
    private static final ObjectMapper JSON = new ObjectMapper();

    private CredentialFiles() {
    }

    /** A string shaped like an OAuth JWT (starts with {@code eyJ}), unique per {@code subject}. */
    static String jwt(String subject) {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        return b64.encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + b64.encodeToString(("{\"sub\":\"" + subject + "\"}").getBytes(StandardCharsets.UTF_8)) + ".c2lnbmF0dXJl";
    }

    static Path cachePath(Path home) {
        return home.resolve(".config/mulerun/oauth_cache.json");
    }

    static Path legacyPath(Path home, String name) {
        return home.resolve(".mulerun").resolve(name);
    }

    static Path write(Path file, String json) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, json);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode readJson(Path file) {
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String mode(Path file) {
        try {
            return PosixFilePermissions.toString(Files.getPosixFilePermissions(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static long now() {
        return Instant.now().getEpochSecond();
    }

    static OAuthClient client(String baseUrl) {
        return new OAuthClient(baseUrl, TEST_TIMEOUT);
    }

    static CredentialDiscovery discovery(Path home, FakeOAuthServer server) {
        return discovery(home, server, null);
    }

    static CredentialDiscovery discovery(Path home, FakeOAuthServer server, String envToken) {
        return new CredentialDiscovery(Optional.ofNullable(envToken), Optional.of(home), Optional.empty(),
                client(server.baseUrl()), Clock.systemUTC());
    }

    /** A loopback URL nothing listens on (the port was just free), so connecting is refused. */
    static String refusingBaseUrl() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return "http://127.0.0.1:" + socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
