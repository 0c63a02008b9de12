package dev.cli2api.upstream;

import java.util.Optional;

/**
 * What submitting a vendor job produced (spec §2.4): the task id, or why there is none. {@link Unreachable} means
 * no HTTP answer arrived; whether the request reached MuleRun is then unknown unless the connection was refused.
 */
public sealed interface SubmitOutcome {

    /** Upstream accepted the job as {@code taskId}. */
    record Accepted(String taskId) implements SubmitOutcome {
    }

    /**
     * Upstream answered but gave no task: HTTP ≥ 400 (with the vendor error when the body carried one), a 2xx
     * without {@code task_info.id}, or a body that is not JSON. {@code message} is the spec's error string.
     */
    record Rejected(int httpStatus, String message, Optional<VendorError> vendorError) implements SubmitOutcome {
    }

    /** No HTTP answer: connection refused or reset, DNS failure, read timeout. */
    record Unreachable(String message, boolean connectionRefused) implements SubmitOutcome {
    }

    /** Classifies a submit answer: HTTP {@code status} and the raw body (empty when there was none). */
    static SubmitOutcome classify(int status, String body) {
        com.fasterxml.jackson.databind.JsonNode tree;
        try {
            tree = UpstreamJson.parse(body).orElse(null);
        } catch (UpstreamJson.DecodeException e) {
            return new Rejected(status, "decode response: " + e.getMessage(), Optional.empty());
        }
        if (status >= 400) {
            Optional<VendorError> error = VendorError.in(tree);
            return new Rejected(status, error.map(VendorError::message).orElse("upstream HTTP " + status), error);
        }
        String id = tree == null ? "" : tree.path("task_info").path("id").asText("");
        if (id.isEmpty()) {
            return new Rejected(status, "upstream returned HTTP " + status + " without task id", Optional.empty());
        }
        return new Accepted(id);
    }

    /** A submit that got no HTTP answer. */
    static SubmitOutcome transportError(Throwable failure) {
        return new Unreachable(UpstreamJson.describe(failure), UpstreamJson.refused(failure));
    }
}
