package dev.cli2api.sandbox;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.vertx.core.MultiMap;

/**
 * One request the simulator received, kept so tests can check exactly what cli2api sent upstream.
 *
 * @param method HTTP method, upper case
 * @param path request path without the query string
 * @param query raw query string, or {@code null} when there was none
 * @param headers request headers; names are matched case-insensitively
 * @param body raw body bytes as received (empty when there was no body)
 */
public record RecordedRequest(String method, String path, String query, Map<String, List<String>> headers,
        byte[] body) {

    public RecordedRequest {
        TreeMap<String, List<String>> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.forEach((name, values) -> copy.put(name, List.copyOf(values)));
        headers = Collections.unmodifiableMap(copy);
        body = body.clone();
    }

    static RecordedRequest of(String method, String path, String query, MultiMap headers, byte[] body) {
        TreeMap<String, List<String>> byName = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.forEach((name, value) -> byName.computeIfAbsent(name, n -> new ArrayList<>()).add(value));
        return new RecordedRequest(method, path, query, byName, body);
    }

    /** The first value of header {@code name} (case-insensitive), or {@code null} when absent. */
    public String header(String name) {
        List<String> values = headers.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    /** The body decoded as UTF-8. */
    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    @Override
    public byte[] body() {
        return body.clone();
    }
}
