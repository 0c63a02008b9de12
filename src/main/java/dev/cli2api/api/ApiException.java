package dev.cli2api.api;

/**
 * A request that ends in an error answer: HTTP status, error {@code type} and a message that is
 * safe to show the client. The envelope (OpenAI or Anthropic) is chosen by the route, not here.
 */
public class ApiException extends RuntimeException {

    private final int status;
    private final String type;

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
