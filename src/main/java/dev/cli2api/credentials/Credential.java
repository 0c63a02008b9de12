package dev.cli2api.credentials;

import java.util.Objects;

/**
 * The upstream credential and where it came from; {@code source} is the reference's
 * {@code token_source} value ({@code env:MULERUN_TOKEN}, {@code file:<path>},
 * {@code file:<path> (cached muk-)}).
 */
public record Credential(String token, String source, Origin origin) {

    /** Where a credential was found. */
    public enum Origin {
        /** {@code MULERUN_TOKEN}. */
        ENVIRONMENT,
        /** The OAuth cache file written by mulerun-cli (refreshable). */
        OAUTH_CACHE,
        /** One of the legacy {@code ~/.mulerun/*.json} files. */
        LEGACY_FILE
    }

    public Credential {
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(origin, "origin");
    }

    /** Never prints the token, only its kind. */
    @Override
    public String toString() {
        return "Credential[source=" + source + ", origin=" + origin + ", token=" + Tokens.redact(token) + "]";
    }
}
