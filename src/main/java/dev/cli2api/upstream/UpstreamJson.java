package dev.cli2api.upstream;

import java.net.ConnectException;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeType;

/** Reads MuleRun job answers leniently (an empty body is no body) and describes transport failures safely. */
final class UpstreamJson {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private UpstreamJson() {
    }

    /** A body that is present but not JSON. */
    static final class DecodeException extends Exception {
        DecodeException(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * The answer's JSON, checked against the shape the reference decodes it into (spec §2.4): a body whose known
     * fields have other JSON types ({@code "images":[5]}, {@code "images":"http://…"}, a non-integer vendor error
     * code) fails as Go's decoder fails it, instead of reaching the client as a URL {@code "5"} or no image at all.
     * JSON {@code null} is allowed anywhere, as Go leaves the field as it was.
     */
    static Optional<JsonNode> parse(String body) throws DecodeException {
        if (body == null || body.isBlank()) {
            return Optional.empty();
        }
        JsonNode tree;
        try {
            tree = MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            String message = e.getOriginalMessage();
            int nl = message == null ? -1 : message.indexOf('\n');
            throw new DecodeException(message == null ? "malformed JSON" : nl < 0 ? message : message.substring(0, nl));
        }
        expect(tree, JsonNodeType.OBJECT, "", "a task answer");
        if (tree.isObject()) {
            JsonNode task = tree.path("task_info");
            expect(task, JsonNodeType.OBJECT, "task_info", "an object");
            expect(task.path("id"), JsonNodeType.STRING, "task_info.id", "string");
            expect(task.path("status"), JsonNodeType.STRING, "task_info.status", "string");
            JsonNode error = task.path("error");
            expect(error, JsonNodeType.OBJECT, "task_info.error", "an object");
            JsonNode code = error.path("code");
            if (!code.isMissingNode() && !code.isNull() && !code.isIntegralNumber()) {
                throw mismatch(code, "task_info.error.code", "int");
            }
            expect(error.path("title"), JsonNodeType.STRING, "task_info.error.title", "string");
            expect(error.path("detail"), JsonNodeType.STRING, "task_info.error.detail", "string");
            for (String results : new String[] { "images", "videos", "audios" }) {
                JsonNode urls = tree.path(results);
                expect(urls, JsonNodeType.ARRAY, results, "[]string");
                for (JsonNode url : urls) {
                    expect(url, JsonNodeType.STRING, results, "string");
                }
            }
        }
        return Optional.of(tree);
    }

    /** Fails unless {@code node} is missing, null or of {@code type}. */
    private static void expect(JsonNode node, JsonNodeType type, String field, String goType) throws DecodeException {
        if (!node.isMissingNode() && !node.isNull() && node.getNodeType() != type) {
            throw mismatch(node, field, goType);
        }
    }

    private static DecodeException mismatch(JsonNode node, String field, String goType) {
        String json = switch (node.getNodeType()) {
            case OBJECT -> "object";
            case ARRAY -> "array";
            case STRING -> "string";
            case BOOLEAN -> "bool";
            default -> "number";
        };
        return new DecodeException("json: cannot unmarshal " + json
                + (field.isEmpty() ? " into " + goType : " into field " + field + " of type " + goType));
    }

    /** The innermost useful message of a transport failure (never contains request headers). */
    static String describe(Throwable failure) {
        Throwable t = failure;
        while (t.getCause() != null && t.getCause() != t
                && (t.getMessage() == null || t instanceof jakarta.ws.rs.ProcessingException)) {
            t = t.getCause();
        }
        String message = t.getMessage();
        return message == null || message.isBlank() ? t.getClass().getSimpleName() : message;
    }

    static boolean refused(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ConnectException) {
                return true;
            }
        }
        return false;
    }
}
