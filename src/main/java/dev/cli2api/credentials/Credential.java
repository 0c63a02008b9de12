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
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            if (c < 0x21 || c > 0x7e) {
                // the token goes up in a header: one with a line break hung chat calls (the header write failed out
                // of band) and was quoted, token and all, in errors, logs and failed jobs; say where, never what
                throw new CredentialDiscoveryException("discover mulerun token: the token from " + source
                        + " holds a character an HTTP header cannot carry (at " + i + ")");
            }
        }
    }

    /** Never prints the token, only its kind. */
    @Override
    public String toString() {
        return "Credential[source=" + source + ", origin=" + origin + ", token=" + Tokens.redact(token) + "]";
    }
}
