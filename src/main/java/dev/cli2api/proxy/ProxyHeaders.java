package dev.cli2api.proxy;

import java.util.Locale;
import java.util.Set;

import io.vertx.core.MultiMap;

/** The header filters of spec §2.3: what goes up from the client and what comes down from upstream. */
final class ProxyHeaders {

    // Expect is answered here (the body is read before relaying), so it never goes up.
    private static final Set<String> DROPPED_UP = Set.of("host", "content-length", "connection", "keep-alive",
            "proxy-connection", "proxy-authorization", "transfer-encoding", "upgrade", "te", "trailer",
            "authorization", "x-api-key", "api-key", "cookie", "expect");

    private static final Set<String> DROPPED_DOWN = Set.of("connection", "keep-alive", "proxy-authenticate",
            "proxy-authorization", "te", "trailer", "transfer-encoding", "upgrade", "content-length", "set-cookie");

    private ProxyHeaders() {
    }

    /** Inbound headers minus hop-by-hop and credential headers (and Content-Encoding when the body was decoded). */
    static MultiMap upstreamRequest(MultiMap inbound, boolean dropContentEncoding) {
        MultiMap out = MultiMap.caseInsensitiveMultiMap();
        inbound.forEach(entry -> {
            String name = entry.getKey().toLowerCase(Locale.ROOT);
            if (!DROPPED_UP.contains(name) && !(dropContentEncoding && name.equals("content-encoding"))) {
                out.add(entry.getKey(), entry.getValue());
            }
        });
        return out;
    }

    /** The header under which the upstream's own request id comes down, beside the service's. */
    static final String UPSTREAM_REQUEST_ID = "X-Upstream-Request-Id";

    /**
     * Copies upstream response headers into {@code client}, replacing same-named headers already set, except the
     * edge's own: its {@code X-Request-Id} (the id in the access log and usage record; the upstream's comes down as
     * {@value #UPSTREAM_REQUEST_ID}; OpenAI-style upstreams always send one, which replaced ours) and its CORS headers
     * (an upstream {@code Access-Control-Allow-Origin} replaced the service's {@code *}).
     */
    static void copyDown(MultiMap upstream, MultiMap client) {
        upstream.names().forEach(name -> {
            String lower = name.toLowerCase(Locale.ROOT);
            if (lower.equals("x-request-id")) {
                client.set(UPSTREAM_REQUEST_ID, upstream.getAll(name));
            } else if (!DROPPED_DOWN.contains(lower) && !lower.startsWith("access-control-")) {
                client.remove(name);
                client.add(name, upstream.getAll(name));
            }
        });
    }
}
