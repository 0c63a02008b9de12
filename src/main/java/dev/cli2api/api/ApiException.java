package dev.cli2api.api;

/**
 * A request that ends in an error answer: HTTP status, error {@code type} and a message that is
 * safe to show the client. The envelope (OpenAI or Anthropic) is chosen by the route, not here.
 */
public class ApiException extends RuntimeException {

    /** The header the official SDKs read before retrying a 408, 409, 429 or 5xx (sdk-wire-facts: Retries). */
    public static final String SHOULD_RETRY = "x-should-retry";

    private final int status;
    private final String type;
    private volatile boolean worthRetrying = true;

    public ApiException(int status, String type, String message) {
        super(message, null, false, false);
        this.status = status;
        this.type = type;
    }

    public ApiException(int status, String type, String message, Throwable cause) {
        super(message, cause, false, false);
        this.status = status;
        this.type = type;
    }

    public int status() {
        return status;
    }

    public String type() {
        return type;
    }

    /**
     * Marks this error as one an automatic retry would only repeat at a price: the answer carries
     * {@code x-should-retry: false}, so the SDKs (which retry 409s and 5xx twice by default) do not send the request
     * again. A failed, timed-out or undeliverable generation was paid for upstream; sent again it is paid for again.
     */
    public ApiException notWorthRetrying() {
        worthRetrying = false;
        return this;
    }

    /** Whether a client's automatic retry could succeed without paying again (see {@link #notWorthRetrying}). */
    public boolean worthRetrying() {
        return worthRetrying;
    }

    /** 400 {@code invalid_request_error}: the generation routes' validation failures. */
    public static ApiException invalidRequest(String message) {
        return new ApiException(400, "invalid_request_error", message);
    }

    /** 404 {@code model_not_found}. */
    public static ApiException modelNotFound(String message) {
        return new ApiException(404, "model_not_found", message);
    }

    /** 404 {@code not_found}. */
    public static ApiException notFound(String message) {
        return new ApiException(404, "not_found", message);
    }

    /** 502 {@code upstream_error}. */
    public static ApiException upstream(String message) {
        return new ApiException(502, "upstream_error", message);
    }
}
