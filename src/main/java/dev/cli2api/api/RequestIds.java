package dev.cli2api.api;

import java.net.InetAddress;
import java.security.SecureRandom;
import java.util.concurrent.atomic.AtomicLong;

/** Request ids: the caller's {@code X-Request-Id} when it is sane, else {@code <host>/<10 chars>-<counter>}. */
public final class RequestIds {

    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final AtomicLong COUNTER = new AtomicLong();
    private static final String PREFIX = hostName() + "/" + randomChars(10);
    private static final int MAX_INBOUND_LENGTH = 200;

    private RequestIds() {
    }

    /** The id for a request carrying {@code inbound} (may be null). */
    public static String forRequest(String inbound) {
        if (inbound != null) {
            String id = inbound.trim();
            if (!id.isEmpty() && id.length() <= MAX_INBOUND_LENGTH && visibleAscii(id)) {
                return id;
            }
        }
        // the prefix plus a six-digit counter (String.format costs more than the rest of a job GET's edge work)
        String counter = Long.toString(COUNTER.incrementAndGet() % 1_000_000);
        return PREFIX + "-" + "000000".substring(counter.length()) + counter;
    }

    private static boolean visibleAscii(String id) {
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (c < 0x21 || c >= 0x7f) {
                return false;
            }
        }
        return true;
    }

    private static String randomChars(int n) {
        StringBuilder sb = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            sb.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        return sb.toString();
    }

    private static String hostName() {
        String env = System.getenv("HOSTNAME");
        if (env != null && !env.isBlank()) {
            return env.trim();
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            return "cli2api";
        }
    }
}
