package dev.cli2api.jobs;

import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import jakarta.ws.rs.core.Response;

/**
 * Renders a job as clients see it: the spec's fields ({@code videos}/{@code audios}, {@code error},
 * {@code completed_at}) and, for videos, the OpenAI Videos object ({@code progress}, {@code prompt},
 * {@code seconds}, {@code size}, {@code expires_at}, {@code error.code} as a string).
 */
final class JobViews {

    /** The shortest {@code openai-poll-after-ms} hint, so SDK pollers never spin. */
    static final long MIN_POLL_AFTER_MS = 500;
    /** The header the official SDKs' {@code create_and_poll} waits by. */
    static final String POLL_AFTER_HEADER = "openai-poll-after-ms";

    private JobViews() {
    }

    static ObjectNode render(ObjectMapper json, Job job) {
        ObjectNode out = json.createObjectNode();
        out.put("id", job.id);
        out.put("object", job.kind.object());
        out.put("status", job.status);
        out.put("model", job.model);
        out.put("created_at", job.createdAt);
        boolean video = job.kind == JobKind.VIDEO;
        if (job.status.equals("completed")) {
            out.set(job.kind.resultField(), parse(json, job.resultUrls));
        }
        if (job.terminal()) {
            out.put("completed_at", job.completedAt);
        } else if (video) {
            out.putNull("completed_at");
        }
        if (job.status.equals("failed")) {
            ObjectNode error = out.putObject("error");
            if (video) {
                error.put("code", job.errCode == 0 ? "job_failed" : String.valueOf(job.errCode));
            } else {
                error.put("code", job.errCode);
            }
            error.put("message", job.errMessage);
        } else if (video) {
            out.putNull("error");
        }
        if (video) {
            out.put("progress", switch (job.status) {
                case "completed" -> 100;
                case "in_progress" -> 50;
                default -> 0;
            });
            JsonNode echo = parse(json, job.requestEcho);
            out.set("prompt", echo.path("prompt").isMissingNode() ? null : echo.get("prompt"));
            out.set("seconds", echo.path("seconds").isMissingNode() ? null : echo.get("seconds"));
            out.set("size", echo.path("size").isMissingNode() ? null : echo.get("size"));
            if (job.expiresAt > 0) {
                out.put("expires_at", job.expiresAt);
            } else {
                out.putNull("expires_at");
            }
            out.putNull("remixed_from_video_id");
        }
        return out;
    }

    /** A JSON answer with the job, plus {@code openai-poll-after-ms} while it is unfinished. */
    static Response answer(ObjectMapper json, Job job, int status) {
        Response.ResponseBuilder response = Response.status(status).header("Content-Type", "application/json")
                .entity(render(json, job).toString());
        pollAfter(job).ifPresent(wait -> response.header(POLL_AFTER_HEADER, wait));
        return response.build();
    }

    /** The {@link #POLL_AFTER_HEADER} value for an unfinished job: the time to its next poll, at least 500 ms. */
    static Optional<String> pollAfter(Job job) {
        if (job.terminal()) {
            return Optional.empty();
        }
        return Optional.of(String.valueOf(Math.max(job.nextRunAt - System.currentTimeMillis(), MIN_POLL_AFTER_MS)));
    }

    private static JsonNode parse(ObjectMapper json, String text) {
        try {
            return json.readTree(text);
        } catch (Exception e) {
            return json.nullNode();
        }
    }
}
