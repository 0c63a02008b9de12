package dev.cli2api.generation;

import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.cli2api.api.ApiException;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Reads the JSON body of a generation route whatever its Content-Type says (curl {@code -d} sends form-urlencoded),
 * with the service's strict JSON rules; a decode failure propagates as a {@link JsonProcessingException}, which the
 * API maps to 400 {@code invalid JSON body: <err>}.
 */
@ApplicationScoped
public class RequestBodies {

    private final ObjectMapper mapper;

    public RequestBodies(ObjectMapper mapper) {
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
        try {
            return mapper.treeToValue(tree, type);
        } catch (MismatchedInputException e) {
            // Quarkus maps this subtype with its own body; re-raised as its parent, the API's 400 mapper renders it
            JsonMappingException plain = new JsonMappingException(null, e.getOriginalMessage());
            for (int i = e.getPath().size() - 1; i >= 0; i--) {
                plain.prependPath(e.getPath().get(i));
            }
            throw plain;
        }
    }

    /** Reads {@code body} straight into {@code type}. */
    public <T> T read(byte[] body, Class<T> type) throws JsonProcessingException {
        return bind(tree(body), type);
    }
}
