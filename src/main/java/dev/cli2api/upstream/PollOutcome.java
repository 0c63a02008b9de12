package dev.cli2api.upstream;

import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What one poll of a vendor task tells the caller (spec §2.4): still running, finished with its result, finished
 * with a vendor error, or a transient failure worth polling again.
 */
public sealed interface PollOutcome {

    /** The task is still running; {@code status} is the upstream status word (may be unknown). */
    record Running(String status) implements PollOutcome {
    }

    /** The task completed; {@code body} holds {@code images}, {@code videos} or {@code audios}. */
    record Succeeded(JsonNode body) implements PollOutcome {
    }

    /** The task ended with a vendor error (terminal; polling again is pointless). */
    record Failed(VendorError error) implements PollOutcome {
    }

    /** The poll itself failed in a way that may pass: transport error, bad body, 5xx, 401/408/425/429. */
    record Transient(String message) implements PollOutcome {
    }

    /** True for {@link Succeeded} and {@link Failed}. */
    default boolean done() {
        return this instanceof Succeeded || this instanceof Failed;
    }

    /** Classifies a poll answer: HTTP {@code status} and the raw body (empty when there was none). */
    static PollOutcome classify(int status, String body) {
        Optional<JsonNode> json;
        try {
            json = UpstreamJson.parse(body);
        } catch (UpstreamJson.DecodeException e) {
            return new Transient("decode response: " + e.getMessage());
        }
        JsonNode tree = json.orElse(null);
        if (status >= 500) {
            return new Transient("upstream HTTP " + status);
        }
        if (status == 401 || status == 408 || status == 425 || status == 429) {
            return new Transient("upstream HTTP " + status + " (transient)");
        }
        Optional<VendorError> error = VendorError.in(tree);
        if (status >= 400) {
            return new Failed(error.orElse(new VendorError(status, "HTTP " + status, "task is no longer available")));
        }
        String taskStatus = tree == null ? "" : tree.path("task_info").path("status").asText("");
        return switch (taskStatus) {
            case "completed", "succeeded" -> error.<PollOutcome> map(Failed::new).orElse(new Succeeded(tree));
            case "failed" -> new Failed(error.orElse(new VendorError(status, "failed", "task failed without diagnostic")));
            case "" -> new Failed(error.orElse(
                    new VendorError(status, "empty status", "upstream returned 2xx with no status field")));
            default -> new Running(taskStatus);
        };
    }

    /** A poll that got no HTTP answer at all. */
    static PollOutcome transportError(Throwable failure) {
        return new Transient(UpstreamJson.describe(failure));
    }
}
