package dev.cli2api.api;

/**
 * The 64 MiB request body cap and how each route family reports a body over it: 413
 * {@code request_too_large} on the text proxies, 400 {@code invalid_request_error} on the JSON
 * generation routes (as the reference's decoder reports it).
 */
public enum BodyLimit {

    /** Chat, responses, messages and routes without a body: 413 request_too_large. */
    TOO_LARGE_413(413, "request_too_large", "request body too large (max " + BodyLimit.MAX_BYTES + " bytes)"),
    /** JSON generation routes: 400 invalid JSON body. */
    INVALID_JSON_400(400, "invalid_request_error", "invalid JSON body: http: request body too large"),
    /** Multipart-or-JSON routes (image edits, video and music jobs): 400, prefixed by the parser that saw it. */
    MULTIPART_OR_JSON_400(400, "invalid_request_error", "invalid JSON body: http: request body too large");

    /** 64 MiB, the cap on every request body (decoded size for gzip bodies on the text proxies). */
    public static final long MAX_BYTES = 67_108_864L;

    private final int status;
    private final String type;
    private final String message;

    BodyLimit(int status, String type, String message) {
        this.status = status;
        this.type = type;
        this.message = message;
    }

    /** The error for a body over the cap, given the request's Content-Type (may be null). */
    public ApiException error(String contentType) {
        if (this == MULTIPART_OR_JSON_400 && contentType != null && contentType.startsWith("multipart/form-data")) {
            return new ApiException(status, type, "multipart: request body too large");
        }
        return new ApiException(status, type, message);
    }
}
