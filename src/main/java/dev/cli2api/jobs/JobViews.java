package dev.cli2api.jobs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;

import jakarta.ws.rs.core.Response;

/**
 * Renders a job as clients see it: the spec's fields ({@code videos}/{@code audios}, {@code error},
 * {@code completed_at}) and, for videos, the OpenAI Videos object ({@code progress}, {@code prompt},
 * {@code seconds}, {@code size}, {@code expires_at}, {@code error.code} as a string). Written token by token from a
 * {@link JobView}, with its JSON parts copied as they are, since SDK pollers ask for it again and again.
 */
final class JobViews {

    /** The shortest {@code openai-poll-after-ms} hint, so SDK pollers never spin. */
    static final long MIN_POLL_AFTER_MS = 500;
    /** The header the official SDKs' {@code create_and_poll} waits by. */
    static final String POLL_AFTER_HEADER = "openai-poll-after-ms";

    private JobViews() {
    }

    /** Writes JSON to a generator. */
    @FunctionalInterface
    interface JsonWriting {
        void writeTo(JsonGenerator out) throws IOException;
    }

    /** The job's JSON object, UTF-8. */
    static byte[] json(JsonFactory factory, JobView job) {
        return json(factory, out -> write(factory, out, job));
    }

    /** What {@code writing} writes, UTF-8. */
    static byte[] json(JsonFactory factory, JsonWriting writing) {
        ByteArrayBuilder bytes = new ByteArrayBuilder(512);
        try (JsonGenerator out = factory.createGenerator(bytes, JsonEncoding.UTF8)) {
            writing.writeTo(out);
        } catch (IOException e) {
            // nothing but the generator's own buffer is written to
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** Writes the job's JSON object to {@code out}. */
    static void write(JsonFactory factory, JsonGenerator out, JobView job) throws IOException {
        out.writeStartObject();
        out.writeStringField("id", job.id());
        out.writeStringField("object", job.kind().object());
        out.writeStringField("status", job.status());
        out.writeStringField("model", job.model());
        out.writeNumberField("created_at", job.createdAt());
        boolean video = job.kind() == JobKind.VIDEO;
        if (job.status().equals("completed")) {
            out.writeFieldName(job.kind().resultField());
            // stored by the worker as a JSON array; anything else (a hand-edited row) shows as null
            raw(out, isJson(factory, job.resultUrls()) ? job.resultUrls() : null);
        }
        if (job.terminal()) {
            out.writeNumberField("completed_at", job.completedAt());
        } else if (video) {
            out.writeNullField("completed_at");
        }
        if (job.status().equals("failed")) {
            out.writeObjectFieldStart("error");
            if (video) {
                out.writeStringField("code", job.errCode() == 0 ? "job_failed" : String.valueOf(job.errCode()));
            } else {
                out.writeNumberField("code", job.errCode());
            }
            out.writeStringField("message", job.errMessage());
            out.writeEndObject();
        } else if (video) {
            out.writeNullField("error");
        }
        if (video) {
            out.writeNumberField("progress", switch (job.status()) {
                case "completed" -> 100;
                case "in_progress" -> 50;
                default -> 0;
            });
            out.writeFieldName("prompt");
            raw(out, job.prompt());
            out.writeFieldName("seconds");
            raw(out, job.seconds());
            out.writeFieldName("size");
            raw(out, job.size());
            if (job.expiresAt() > 0) {
                out.writeNumberField("expires_at", job.expiresAt());
            } else {
                out.writeNullField("expires_at");
            }
            out.writeNullField("remixed_from_video_id");
        }
        out.writeEndObject();
    }

    /** A JSON answer with the job, plus {@code openai-poll-after-ms} while it is unfinished. */
    static Response answer(JsonFactory factory, JobView job, int status) {
        Response.ResponseBuilder response = Response.status(status).header("Content-Type", "application/json")
                .entity(json(factory, job));
        pollAfter(job).ifPresent(wait -> response.header(POLL_AFTER_HEADER, wait));
        return response.build();
    }

    /** The {@link #POLL_AFTER_HEADER} value for an unfinished job: the time to its next poll, at least 500 ms. */
    static Optional<String> pollAfter(JobView job) {
        if (job.terminal()) {
            return Optional.empty();
        }
        return Optional.of(String.valueOf(Math.max(job.nextRunAt() - System.currentTimeMillis(), MIN_POLL_AFTER_MS)));
    }

    /** {@code json}, a JSON value, as it is; null as JSON null. */
    private static void raw(JsonGenerator out, String json) throws IOException {
        if (json == null) {
            out.writeNull();
        } else {
            out.writeRawValue(json);
        }
    }

    /** Whether {@code text} is one JSON value and nothing else. */
    static boolean isJson(JsonFactory factory, String text) {
        try (JsonParser parser = factory.createParser(text)) {
            if (parser.nextToken() == null) {
                return false;
            }
            parser.skipChildren();
            return parser.nextToken() == null;
        } catch (IOException e) {
            return false;
        }
    }
}
