package dev.cli2api.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import dev.cli2api.config.Cli2ApiConfig;
import io.vertx.core.MultiMap;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

/**
 * Inbound API-key authentication ({@code CLI2API_API_KEYS}): finds the caller's key the way the
 * reference does ({@code X-API-Key}, else {@code Authorization: Bearer k}, else the bare
 * {@code Authorization} value) and checks it against the allow-list in constant time.
 */
@Singleton
public class ApiKeys {

    private final List<byte[]> allowedDigests;

    @Inject
    public ApiKeys(Cli2ApiConfig config) {
        this(config.apiKeys());
    }

    ApiKeys(List<String> keys) {
        this.allowedDigests = keys.stream().map(ApiKeys::sha256).toList();
    }

    /** True when at least one key is configured, i.e. inbound auth is on. */
    public boolean required() {
        return !allowedDigests.isEmpty();
    }

    /** The key a request presents, if any. */
    public static Optional<String> presentedKey(MultiMap headers) {
        String xApiKey = trimmed(headers.get("X-API-Key"));
        if (!xApiKey.isEmpty()) {
            return Optional.of(xApiKey);
        }
        String authorization = trimmed(headers.get("Authorization"));
        if (authorization.isEmpty()) {
            return Optional.empty();
        }
        if (authorization.length() >= 7 && authorization.substring(0, 7).toLowerCase(Locale.ROOT).equals("bearer ")) {
            String rest = authorization.substring(7).trim();
            return rest.isEmpty() ? Optional.empty() : Optional.of(rest);
        }
        return Optional.of(authorization);
    }

    /** The 401 to answer, or empty when the request may proceed. */
    public Optional<ApiException> reject(MultiMap headers) {
        if (!required()) {
            return Optional.empty();
        }
        Optional<String> key = presentedKey(headers);
        if (key.isEmpty()) {
            return Optional.of(new ApiException(401, "unauthorized", "missing API key"));
        }
        return allowed(key.get()) ? Optional.empty()
                : Optional.of(new ApiException(401, "unauthorized", "invalid API key"));
    }

    /** Constant-time membership: every configured key is compared, digests of equal length. */
    boolean allowed(String key) {
        byte[] digest = sha256(key);
        boolean found = false;
        for (byte[] allowed : allowedDigests) {
            found |= MessageDigest.isEqual(allowed, digest);
        }
        return found;
    }

    /** First 12 hex characters of the key's SHA-256: identifies a key in stored data without revealing it. */
    public static String fingerprint(String key) {
        return HexFormat.of().formatHex(sha256(key), 0, 6);
    }

    private static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }

    private static String trimmed(String value) {
        return value == null ? "" : value.trim();
    }
}
