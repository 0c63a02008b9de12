package dev.cli2api.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The two wire shapes of an error body: OpenAI's (every route but one) and Anthropic's ({@code /v1/messages}). */
public enum ErrorStyle {

    /** {@code {"error":{"message":…,"type":…}}} */
    OPENAI,
    /** {@code {"type":"error","error":{"type":…,"message":…}}} */
    ANTHROPIC;

    /** Content-Type of every JSON error body. */
    public static final String CONTENT_TYPE = "application/json; charset=utf-8";

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** Renders the envelope for {@code type} and {@code message}. */
    public String render(String type, String message) {
        ObjectNode root = MAPPER.createObjectNode();
        ObjectNode error = MAPPER.createObjectNode();
        if (this == ANTHROPIC) {
            root.put("type", "error");
            error.put("type", type);
            error.put("message", message);
        } else {
            error.put("message", message);
            error.put("type", type);
        }
        root.set("error", error);
        return root.toString();
    }
}
