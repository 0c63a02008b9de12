package dev.cli2api.api;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * Reads a route's JSON request body whatever its Content-Type says (curl {@code -d} sends form-urlencoded), with the
 * service's strict JSON rules; a decode failure propagates as a {@link JsonProcessingException}, which
 * {@link ApiExceptionMappers} renders as 400 {@code invalid JSON body: <err>}.
 */
@ApplicationScoped
public class JsonBodies {

    private final ObjectMapper mapper;

    public JsonBodies(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** The body as a JSON object; JSON {@code null} reads as an empty object, as Go's decoder leaves the struct. */
    public ObjectNode tree(byte[] body) throws JsonProcessingException {
        return tree(body == null ? "" : new String(body, StandardCharsets.UTF_8));
    }

    private ObjectNode tree(String text) throws JsonProcessingException {
        if (text.isBlank()) {
            throw ApiException.invalidRequest("invalid JSON body: EOF");
        }
        JsonNode tree = mapper.readTree(text);
        if (tree != null && mayEscapeSurrogates(text)) {
            tree = withoutLoneSurrogates(tree);
        }
        if (tree != null) {
            requireFinite(tree, "");
        }
        if (tree == null || tree.isNull() || tree.isMissingNode()) {
            return mapper.createObjectNode();
        }
        if (!tree.isObject()) {
            throw ApiException.invalidRequest("invalid JSON body: cannot unmarshal "
                    + tree.getNodeType().name().toLowerCase(java.util.Locale.ROOT) + " into a request object");
        }
        return (ObjectNode) tree;
    }

    /** Whether JSON {@code text} may hold a {@code \\uD800}–{@code \\uDFFF} escape (a cheap scan before the tree walk). */
    private static boolean mayEscapeSurrogates(String text) {
        return text.contains("\\ud") || text.contains("\\uD");
    }

    /**
     * {@code node} with every lone UTF-16 surrogate in its strings and field names replaced by U+FFFD, as Go's decoder
     * reads a {@code \\uD800} escape that is not half of a pair. Jackson keeps the lone character, which no JSON writer
     * takes ({@code Incomplete surrogate pair}) and PostgreSQL stores as {@code ?}: a video job was stored, then its
     * answer failed to render (500), and every SDK retry queued another paid job. Changes arrays and objects in place.
     */
    public static JsonNode withoutLoneSurrogates(JsonNode node) {
        if (node.isTextual()) {
            String text = node.textValue();
            String clean = withoutLoneSurrogates(text);
            return clean == text ? node : TextNode.valueOf(clean);
        }
        if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                array.set(i, withoutLoneSurrogates(array.get(i)));
            }
        } else if (node instanceof ObjectNode object) {
            List<Map.Entry<String, JsonNode>> fields = new ArrayList<>();
            object.fields().forEachRemaining(fields::add);
            object.removeAll();
            for (Map.Entry<String, JsonNode> field : fields) {
                object.set(withoutLoneSurrogates(field.getKey()), withoutLoneSurrogates(field.getValue()));
            }
        }
        return node;
    }

    /** {@code text} with each lone surrogate replaced by U+FFFD; {@code text} itself when it holds none. */
    public static String withoutLoneSurrogates(String text) {
        StringBuilder clean = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean pair = Character.isHighSurrogate(c) && i + 1 < text.length()
                    && Character.isLowSurrogate(text.charAt(i + 1));
            if (pair) {
                if (clean != null) {
                    clean.append(c).append(text.charAt(i + 1));
                }
                i++;
            } else if (Character.isSurrogate(c)) {
                if (clean == null) {
                    clean = new StringBuilder(text.length()).append(text, 0, i);
                }
                clean.append('\uFFFD');
            } else if (clean != null) {
                clean.append(c);
            }
        }
        return clean == null ? text : clean.toString();
    }

    /**
     * Refuses a number too large for a double anywhere in {@code node} ({@code "extra": {"seconds": 1e400}}), as Go's
     * decoder does: Jackson reads it as infinity, which its writer sends upstream as the string {@code "Infinity"}.
     * Typed fields are checked as they bind ({@link JsonSupport}); this covers the free-form ones ({@code extra},
     * {@code elements}, {@code multi_prompt}).
     */
    public static void requireFinite(JsonNode node, String path) {
        if (node.isNumber()) {
            if (node.isFloatingPointNumber() && Double.isInfinite(node.doubleValue())) {
                throw ApiException.invalidRequest("invalid JSON body: field \"" + path + "\": number "
                        + node.doubleValue() + " is out of range for a double");
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                requireFinite(node.get(i), path + "[" + i + "]");
            }
        } else if (node.isObject()) {
            node.fields().forEachRemaining(field -> requireFinite(field.getValue(),
                    path.isEmpty() ? field.getKey() : path + "." + field.getKey()));
        }
    }

    /** Binds {@code tree} to the request record {@code type}. */
    public <T> T bind(ObjectNode tree, Class<T> type) throws JsonProcessingException {
        return mapper.treeToValue(tree, type);
    }

    /** Reads {@code body} straight into {@code type}. */
    public <T> T read(byte[] body, Class<T> type) throws JsonProcessingException {
        return bind(tree(body), type);
    }

    /** A request field that was not sent or is the empty string (what the spec's "is required" checks mean). */
    public static boolean isEmpty(String value) {
        return value == null || value.isEmpty();
    }
}
