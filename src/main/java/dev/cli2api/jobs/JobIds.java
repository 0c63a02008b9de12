package dev.cli2api.jobs;

import java.security.SecureRandom;

/** Local job ids: a prefix and 16 characters of lower-case unpadded base32 from 10 random bytes (spec §1.14). */
final class JobIds {

    private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz234567";
    private static final SecureRandom RANDOM = new SecureRandom();

    private JobIds() {
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
