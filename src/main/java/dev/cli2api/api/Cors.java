package dev.cli2api.api;

import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;

import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;

/**
 * CORS headers put on every response, and the preflight answer. Beyond the reference's four
 * allowed headers it allows what the official SDKs send from browsers ({@code x-stainless-*},
 * {@code anthropic-dangerous-direct-browser-access}, ...).
 */
public final class Cors {

    static final String ALLOW_METHODS = "GET, POST, DELETE, OPTIONS";
    static final String ALLOW_HEADERS = String.join(", ",
            "Authorization", "X-API-Key", "Content-Type", "anthropic-version", "anthropic-beta",
            "anthropic-dangerous-direct-browser-access", "Idempotency-Key", "OpenAI-Organization", "OpenAI-Project",
            "X-Request-Id", "X-Stainless-Lang", "X-Stainless-Package-Version", "X-Stainless-OS", "X-Stainless-Arch",
            "X-Stainless-Runtime", "X-Stainless-Runtime-Version", "X-Stainless-Retry-Count", "X-Stainless-Timeout",
            "X-Stainless-Async", "X-Stainless-Helper-Method", "X-Stainless-Poll-Helper",
            "X-Stainless-Custom-Poll-Interval");
    /**
     * What a browser SDK may read of an answer: request ids (Anthropic's SDK reads {@code request-id}), the job
     * poll hint, and the retry hints the SDKs honour ({@code retry-after}, {@code retry-after-ms},
     * {@code x-should-retry}), none of which is CORS-safelisted.
     */
    static final String EXPOSE_HEADERS = "X-Request-Id, X-Upstream-Request-Id, request-id, openai-poll-after-ms, "
            + "Retry-After, retry-after-ms, x-should-retry";

    private static final Set<String> ALLOWED_LOWER = lower(ALLOW_HEADERS);

    private Cors() {
    }

    /** Sets the CORS headers on {@code response}; preflights also get any other requested x-stainless-* header. */
    static void apply(HttpServerRequest request, HttpServerResponse response) {
        response.headers()
                .set("Access-Control-Allow-Origin", "*")
                .set("Access-Control-Allow-Methods", ALLOW_METHODS)
                .set("Access-Control-Allow-Headers", allowHeaders(request.getHeader("Access-Control-Request-Headers")))
                .set("Access-Control-Expose-Headers", EXPOSE_HEADERS);
    }

    static String allowHeaders(String requested) {
        if (requested == null || requested.isBlank()) {
            return ALLOW_HEADERS;
        }
        StringBuilder out = new StringBuilder(ALLOW_HEADERS);
        for (String name : requested.split(",")) {
            String h = name.trim().toLowerCase(Locale.ROOT);
            if (h.startsWith("x-stainless-") && h.matches("[a-z0-9-]+") && !ALLOWED_LOWER.contains(h)) {
                out.append(", ").append(h);
            }
        }
        return out.toString();
    }

    private static Set<String> lower(String list) {
        Set<String> out = new LinkedHashSet<>();
        for (String s : list.split(",")) {
            out.add(s.trim().toLowerCase(Locale.ROOT));
        }
        return out;
    }
}
