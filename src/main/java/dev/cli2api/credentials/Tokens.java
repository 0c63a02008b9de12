package dev.cli2api.credentials;

/** Classifies upstream credentials by prefix and renders them for logs without revealing them. */
final class Tokens {

    static final String MUK_PREFIX = "muk-";
    static final String JWT_PREFIX = "eyJ";

    private Tokens() {
    }

    /** A MuleRun studio API key, used as is. */
    static boolean isMukKey(String token) {
        return token != null && token.startsWith(MUK_PREFIX);
    }

    /** An OAuth JWT (base64url of a JSON header), exchanged for a muk- key. */
    static boolean isJwt(String token) {
        return token != null && token.startsWith(JWT_PREFIX);
    }

    /** The token's kind and nothing more: {@code muk-***}, {@code eyJ***} or {@code ***}. */
    static String redact(String token) {
        if (isMukKey(token)) {
            return MUK_PREFIX + "***";
        }
        if (isJwt(token)) {
            return JWT_PREFIX + "***";
        }
        return "***";
    }
}
