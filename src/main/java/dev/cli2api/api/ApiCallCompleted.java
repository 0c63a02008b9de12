package dev.cli2api.api;

/**
 * Fired once for every completed call of an authenticated API route that passed authentication,
 * after the response ended (or the connection closed). Usage accounting and metrics observe it;
 * observers must not block.
 *
 * @param route the matched route
 * @param method HTTP method
 * @param path request path without query
 * @param status status sent to the client
 * @param bytesOut response body bytes written
 * @param startedAtMillis request start, epoch milliseconds
 * @param durationMillis until the response ended
 * @param requestId the request id
 * @param apiKeyFingerprint fingerprint of the presented key, empty when none
 * @param attributes values handlers left on the request (e.g. the model), read-only
 */
public record ApiCallCompleted(ApiRoute route, String method, String path, int status, long bytesOut,
        long startedAtMillis, long durationMillis, String requestId, String apiKeyFingerprint,
        java.util.Map<String, Object> attributes) {

    /** Attribute keys handlers set through {@link ApiEdge#recordModel} and {@link ApiEdge#recordTokens}. */
    static final String MODEL = "model";
    static final String PROMPT_TOKENS = "prompt_tokens";
    static final String COMPLETION_TOKENS = "completion_tokens";

    /** The model the call used, empty when unknown. */
    public String model() {
        Object value = attributes.get(MODEL);
        return value == null ? "" : value.toString().trim();
    }

    public long promptTokens() {
        return count(PROMPT_TOKENS);
    }

    public long completionTokens() {
        return count(COMPLETION_TOKENS);
    }

    private long count(String key) {
        return attributes.get(key) instanceof Number n ? Math.max(0, n.longValue()) : 0;
    }
}
