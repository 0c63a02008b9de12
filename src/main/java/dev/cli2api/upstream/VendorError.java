package dev.cli2api.upstream;

import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A vendor error object as MuleRun reports it at {@code task_info.error}: an integer code, a title and a detail,
 * rendered {@code [code] title: detail}, or {@code [code] detail} when the title is empty.
 */
public record VendorError(int code, String title, String detail) {

    /** The error string clients see, e.g. {@code [3001] content policy: prompt rejected}. */
    public String message() {
        return title.isEmpty() ? "[" + code + "] " + detail : "[" + code + "] " + title + ": " + detail;
    }

    /** The error object at {@code task_info.error} of {@code body}, if there is one. */
    static Optional<VendorError> in(JsonNode body) {
        if (body == null) {
            return Optional.empty();
        }
        JsonNode error = body.path("task_info").path("error");
        if (!error.isObject()) {
            return Optional.empty();
        }
        return Optional.of(new VendorError(error.path("code").asInt(0), error.path("title").asText(""),
                error.path("detail").asText("")));
    }

    @Override
    public String toString() {
        return message();
    }
}
