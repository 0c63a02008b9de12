package dev.cli2api.catalog;

import java.util.List;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Builds one upstream job body under the registry's "if set" rules: strings and arrays only when non-empty,
 * numbers and booleans whenever present (even {@code 0}/{@code false}), image {@code n} only when positive.
 */
final class UpstreamBody {

    private final ObjectNode node = JsonNodeFactory.instance.objectNode();

    /** An empty body. */
    static UpstreamBody create() {
        return new UpstreamBody();
    }

    /** A body that always carries {@code prompt}, even when empty. */
    static UpstreamBody withPrompt(String prompt) {
        return create().always("prompt", prompt);
    }

    static boolean isSet(String value) {
        return value != null && !value.isEmpty();
    }

    static boolean isSet(List<?> value) {
        return value != null && !value.isEmpty();
    }

    /** {@code preferred} when set, otherwise {@code fallback}. */
    static String firstSet(String preferred, String fallback) {
        return isSet(preferred) ? preferred : fallback;
    }

    /** {@code preferred} when non-empty, otherwise {@code fallback}. */
    static List<String> firstSet(List<String> preferred, List<String> fallback) {
        return isSet(preferred) ? preferred : fallback;
    }

    /** Puts {@code value} even when unset ({@code null} becomes {@code ""}, Go's zero string). */
    UpstreamBody always(String key, String value) {
        node.put(key, value == null ? "" : value);
        return this;
    }

    UpstreamBody text(String key, String value) {
        if (isSet(value)) {
            node.put(key, value);
        }
        return this;
    }

    /** A WAN size: every {@code x} becomes {@code *} ({@code 1024x1024} → {@code 1024*1024}). */
    UpstreamBody wanSize(String key, String value) {
        return text(key, value == null ? null : value.replace('x', '*'));
    }

    UpstreamBody number(String key, Integer value) {
        if (value != null) {
            node.put(key, value);
        }
        return this;
    }

    UpstreamBody number(String key, Long value) {
        if (value != null) {
            node.put(key, value);
        }
        return this;
    }

    UpstreamBody number(String key, Double value) {
        if (value != null) {
            node.put(key, value);
        }
        return this;
    }

    /** The image-count rule: forwarded only when greater than zero. */
    UpstreamBody positive(String key, Integer value) {
        return value != null && value > 0 ? number(key, value) : this;
    }

    UpstreamBody flag(String key, Boolean value) {
        if (value != null) {
            node.put(key, value);
        }
        return this;
    }

    UpstreamBody strings(String key, List<String> values) {
        if (isSet(values)) {
            ArrayNode array = node.putArray(key);
            values.forEach(value -> array.add(value == null ? "" : value));
        }
        return this;
    }

    UpstreamBody array(String key, ArrayNode values) {
        if (values != null && !values.isEmpty()) {
            node.set(key, values.deepCopy());
        }
        return this;
    }

    /** Nests {@code child} under {@code key} unless it is empty. */
    UpstreamBody object(String key, UpstreamBody child) {
        if (!child.node.isEmpty()) {
            node.set(key, child.node);
        }
        return this;
    }

    /** Copies every key of {@code extra} over the computed fields (shallow, last writer wins) and returns the body. */
    ObjectNode finish(ObjectNode extra) {
        if (extra != null) {
            extra.properties().forEach(entry -> node.set(entry.getKey(), entry.getValue().deepCopy()));
        }
        return node;
    }
}
