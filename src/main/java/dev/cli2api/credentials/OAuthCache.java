package dev.cli2api.credentials;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The contents of mulerun-cli's OAuth cache file: the keys cli2api reads and writes, plus every
 * other key kept untouched so a write-back never loses what the CLI stored.
 */
final class OAuthCache {

    static final String ACCESS_TOKEN = "access_token";
    static final String REFRESH_TOKEN = "refresh_token";
    static final String EXPIRES_AT = "expires_at";
    static final String BASE_URL = "base_url";
    static final String MUK_KEY = "cli2api_muk_key";

    private static final List<String> STRING_KEYS = List.of(ACCESS_TOKEN, REFRESH_TOKEN, BASE_URL, MUK_KEY);

    private final ObjectNode json;

    private OAuthCache(ObjectNode json) {
        this.json = json;
    }

    /** Wraps a parsed file; a known key of the wrong JSON type makes the file unusable. */
    static OAuthCache of(ObjectNode json) throws IOException {
        for (String key : STRING_KEYS) {
            JsonNode value = json.get(key);
            if (value != null && !value.isNull() && !value.isTextual()) {
                throw new IOException("field " + key + " is not a string");
            }
        }
        JsonNode expiresAt = json.get(EXPIRES_AT);
        if (expiresAt != null && !expiresAt.isNull() && !expiresAt.isNumber()) {
            throw new IOException("field " + EXPIRES_AT + " is not a number");
        }
        return new OAuthCache(json.deepCopy());
    }

    static OAuthCache empty() {
        return new OAuthCache(OAuthCacheFile.JSON.createObjectNode());
    }

    Optional<String> accessToken() {
        return string(ACCESS_TOKEN);
    }

    Optional<String> refreshToken() {
        return string(REFRESH_TOKEN);
    }

    Optional<String> mukKey() {
        return string(MUK_KEY);
    }

    /** Unix seconds; 0 (or missing) means the access token never expires. */
    long expiresAt() {
        JsonNode value = json.get(EXPIRES_AT);
        return value != null && value.isNumber() ? value.asLong() : 0;
    }

    /** Whether the access token has expired at {@code nowEpochSeconds}. */
    boolean expired(long nowEpochSeconds) {
        long expiresAt = expiresAt();
        return expiresAt > 0 && nowEpochSeconds >= expiresAt;
    }

    void accessToken(String value) {
        putString(ACCESS_TOKEN, value);
    }

    void refreshToken(String value) {
        putString(REFRESH_TOKEN, value);
    }

    void mukKey(String value) {
        putString(MUK_KEY, value);
    }

    void expiresAt(long value) {
        if (value == 0) {
            json.remove(EXPIRES_AT);
        } else {
            json.put(EXPIRES_AT, value);
        }
    }

    /** The object to write: unknown keys as read, known keys only when non-empty. */
    ObjectNode toJson() {
        ObjectNode out = json.deepCopy();
        for (String key : STRING_KEYS) {
            if (string(key).isEmpty()) {
                out.remove(key);
            }
        }
        if (expiresAt() == 0) {
            out.remove(EXPIRES_AT);
        }
        return out;
    }

    private Optional<String> string(String key) {
        JsonNode value = json.get(key);
        return value != null && value.isTextual()
                ? Optional.of(value.asText().trim()).filter(s -> !s.isEmpty())
                : Optional.empty();
    }

    private void putString(String key, String value) {
        if (value == null || value.isBlank()) {
            json.remove(key);
        } else {
            json.put(key, value);
        }
    }

    /** Never prints a credential. */
    @Override
    public String toString() {
        return "OAuthCache[accessToken=" + accessToken().map(Tokens::redact).orElse("none")
                + ", refreshToken=" + (refreshToken().isPresent() ? "***" : "none")
                + ", mukKey=" + mukKey().map(Tokens::redact).orElse("none")
                + ", expiresAt=" + expiresAt() + "]";
    }
}
