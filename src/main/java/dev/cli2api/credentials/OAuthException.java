package dev.cli2api.credentials;

/** A failed OAuth call; transient failures (network, 5xx, timeout) may succeed on a later attempt. */
final class OAuthException extends Exception {

    private final boolean transientFailure;

    OAuthException(String message, boolean transientFailure) {
        super(message);
        this.transientFailure = transientFailure;
    }

    /** True for network errors, timeouts and 5xx answers; false when retrying cannot help. */
    boolean isTransient() {
        return transientFailure;
    }
}
