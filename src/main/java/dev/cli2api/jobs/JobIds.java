package dev.cli2api.jobs;

import java.security.SecureRandom;

/** Local job ids: a prefix and 16 characters of lower-case unpadded base32 from 10 random bytes (spec §1.14). */
final class JobIds {

    private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz234567";
    private static final SecureRandom RANDOM = new SecureRandom();

    private JobIds() {
    }

    /**
     * Whether {@code id} could name a stored job. PostgreSQL's {@code text} cannot hold U+0000, so an id with one (a
     * path such as {@code /v1/videos/%00}) names no job, and must not reach a query: the database would refuse the
     * whole statement, and a batched read ({@link ReadBatcher}) would fail every GET read with it.
     */
    static boolean storable(String id) {
        return id.indexOf('\0') < 0;
    }

    static String next(JobKind kind) {
        byte[] bytes = new byte[10];
        RANDOM.nextBytes(bytes);
        StringBuilder id = new StringBuilder(kind.idPrefix());
        int buffer = 0;
        int bits = 0;
        for (byte b : bytes) {
            buffer = (buffer << 8) | (b & 0xff);
            bits += 8;
            while (bits >= 5) {
                id.append(ALPHABET.charAt((buffer >> (bits - 5)) & 31));
                bits -= 5;
            }
        }
        return id.toString();
    }
}
