package dev.cli2api.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.vertx.core.MultiMap;

/** What comes down from upstream: its headers, minus hop-by-hop ones, never over the edge's own. */
class ProxyHeadersTest {

    @Test
    void upstreamHeadersNeverReplaceTheEdgesRequestIdOrCors() {
        // a regression: an OpenAI-style upstream's x-request-id replaced the id the access log and usage record
        // carry, and an upstream Access-Control-Allow-Origin replaced the service's *
        MultiMap client = MultiMap.caseInsensitiveMultiMap().add("X-Request-Id", "vm/mine-000001")
                .add("Access-Control-Allow-Origin", "*").add("Access-Control-Expose-Headers", "X-Request-Id");
        MultiMap upstream = MultiMap.caseInsensitiveMultiMap().add("x-request-id", "req_upstream")
                .add("access-control-allow-origin", "https://evil.example").add("Content-Type", "application/json")
                .add("openai-processing-ms", "12").add("Set-Cookie", "a=b").add("Connection", "close");

        ProxyHeaders.copyDown(upstream, client);

        assertEquals(List.of("vm/mine-000001"), client.getAll("X-Request-Id"));
        assertEquals(List.of("req_upstream"), client.getAll(ProxyHeaders.UPSTREAM_REQUEST_ID));
        assertEquals(List.of("*"), client.getAll("Access-Control-Allow-Origin"));
        assertEquals(List.of("X-Request-Id"), client.getAll("Access-Control-Expose-Headers"));
        assertEquals("application/json", client.get("Content-Type"));
        assertEquals("12", client.get("openai-processing-ms"));
        assertFalse(client.contains("Set-Cookie"));
        assertFalse(client.contains("Connection"));
    }
}
