package dev.cli2api.api;

import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

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
        String text = body == null ? "" : new String(body, StandardCharsets.UTF_8);
        if (text.isBlank()) {
            throw ApiException.invalidRequest("invalid JSON body: EOF");
        }
        JsonNode tree = mapper.readTree(text);
        if (tree == null || tree.isNull() || tree.isMissingNode()) {
            return mapper.createObjectNode();
        }
        if (!tree.isObject()) {
            throw ApiException.invalidRequest("invalid JSON body: cannot unmarshal "
                    + tree.getNodeType().name().toLowerCase(java.util.Locale.ROOT) + " into a request object");
        }
        return (ObjectNode) tree;
    }

    /** Binds {@code tree} to the request record {@code type}. */
    public <T> T bind(ObjectNode tree, Class<T> type) throws JsonProcessingException {
        return mapper.treeToValue(tree, type);
    }

    /** Reads {@code body} straight into {@code type}. */
    public <T> T read(byte[] body, Class<T> type) throws JsonProcessingException {
        return bind(tree(body), type);
    }

    /** Reads {@code body} straight into {@code type}. */
    public <T> T read(String body, Class<T> type) throws JsonProcessingException {
        return read(body.getBytes(StandardCharsets.UTF_8), type);
    }

    /** A request field that was not sent or is the empty string (what the spec's "is required" checks mean). */
    public static boolean isEmpty(String value) {
        return value == null || value.isEmpty();
    }
}
