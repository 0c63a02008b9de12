package dev.cli2api.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.cli2api.api.JsonSupport;

/**
 * What a client sees of a job ({@link JobViews#write}), read-only: the columns of its JSON, with the JSON parts as
 * JSON text ({@code resultUrls} as stored; {@code prompt}, {@code seconds} and {@code size} as their values in the
 * request echo, null when the echo has none). The GET path builds one straight from a row ({@link JobReads}), with
 * the echo's values picked out by PostgreSQL, so a poll neither parses JSON nor makes a tracked {@link Job} entity;
 * the other routes make one from the entity they hold ({@link #of}).
 */
record JobView(String id, JobKind kind, String status, String model, long createdAt, long completedAt,
        long expiresAt, String resultUrls, int errCode, String errMessage, String prompt, String seconds, String size,
        long nextRunAt, String ownerKeyHash) {

    /** The view of {@code job}, its request echo parsed here (an unreadable one shows no prompt, seconds or size). */
    static JobView of(Job job, ObjectMapper json) {
        JsonNode echo;
        try {
            echo = json.readTree(job.requestEcho);
        } catch (Exception e) {
            echo = json.missingNode();
        }
        return of(job, echo, json);
    }

    /** The view of {@code job} whose request echo is {@code echo} (a job not stored yet: its echo is in hand). */
    static JobView of(Job job, JsonNode echo, ObjectMapper json) {
        return new JobView(job.id, job.kind, job.status, job.model, job.createdAt, job.completedAt, job.expiresAt,
                job.resultUrls, job.errCode, job.errMessage, text(echo, "prompt", json), text(echo, "seconds", json),
                text(echo, "size", json), job.nextRunAt, job.ownerKeyHash);
    }

    boolean terminal() {
        return status.equals("completed") || status.equals("failed");
    }

    /** The JSON text of {@code echo}'s {@code field} (see {@link JsonSupport#utf8}: a prompt may be tens of MB). */
    private static String text(JsonNode echo, String field, ObjectMapper json) {
        JsonNode value = echo.get(field);
        return value == null ? null : JsonSupport.text(json, value);
    }
}
