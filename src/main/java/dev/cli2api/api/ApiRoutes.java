package dev.cli2api.api;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The route table of the public API: every route the service answers, in one place, so that the
 * edge can answer 404/405 without authentication and pick the error envelope, auth rule and body
 * limit of a route before any handler runs. A route missing here is a 404 even if a handler exists.
 */
public final class ApiRoutes {

    private static final List<ApiRoute> ROUTES = List.of(
            new ApiRoute("/healthz", Set.of("GET"), ErrorStyle.OPENAI, false, BodyLimit.TOO_LARGE_413),
            new ApiRoute("/v1/models", Set.of("GET"), ErrorStyle.OPENAI, true, BodyLimit.TOO_LARGE_413),
            new ApiRoute("/v1/chat/completions", Set.of("POST"), ErrorStyle.OPENAI, true, BodyLimit.TOO_LARGE_413),
            new ApiRoute("/v1/responses", Set.of("POST"), ErrorStyle.OPENAI, true, BodyLimit.TOO_LARGE_413),
            new ApiRoute("/v1/messages", Set.of("POST"), ErrorStyle.ANTHROPIC, true, BodyLimit.TOO_LARGE_413),
            new ApiRoute("/v1/images/generations", Set.of("POST"), ErrorStyle.OPENAI, true, BodyLimit.INVALID_JSON_400),
            new ApiRoute("/v1/images/edits", Set.of("POST"), ErrorStyle.OPENAI, true, BodyLimit.MULTIPART_OR_JSON_400),
            new ApiRoute("/v1/audio/speech", Set.of("POST"), ErrorStyle.OPENAI, true, BodyLimit.INVALID_JSON_400),
            new ApiRoute("/v1/videos", Set.of("GET", "POST"), ErrorStyle.OPENAI, true, BodyLimit.MULTIPART_OR_JSON_400),
            new ApiRoute("/v1/videos/{id}", Set.of("GET", "DELETE"), ErrorStyle.OPENAI, true, BodyLimit.TOO_LARGE_413),
            new ApiRoute("/v1/videos/{id}/content", Set.of("GET"), ErrorStyle.OPENAI, true, BodyLimit.TOO_LARGE_413),
            new ApiRoute("/v1/audio/music", Set.of("POST"), ErrorStyle.OPENAI, true, BodyLimit.MULTIPART_OR_JSON_400),
            new ApiRoute("/v1/audio/music/{id}", Set.of("GET"), ErrorStyle.OPENAI, true, BodyLimit.TOO_LARGE_413),
            new ApiRoute("/v1/usage", Set.of("GET"), ErrorStyle.OPENAI, true, BodyLimit.TOO_LARGE_413));

    private ApiRoutes() {
    }

    /** All routes, in declaration order. */
    public static List<ApiRoute> all() {
        return ROUTES;
    }

    /** The route whose template matches {@code path}, if any. */
    public static Optional<ApiRoute> match(String path) {
        for (ApiRoute route : ROUTES) {
            if (route.matches(path)) {
                return Optional.of(route);
            }
        }
        return Optional.empty();
    }
}
