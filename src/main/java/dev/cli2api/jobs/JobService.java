package dev.cli2api.jobs;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Optional;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.cli2api.api.ApiEdge;
import dev.cli2api.api.ApiException;
import dev.cli2api.api.ApiKeys;
import dev.cli2api.api.JsonSupport;
import dev.cli2api.config.Cli2ApiConfig;
import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.PersistenceException;
import jakarta.ws.rs.core.Response;

/**
 * What the job routes share: creating a job (with {@code Idempotency-Key}), finding one the caller may see, and the
 * caller's owner hash. Jobs belong to the fingerprint of the presented API key (empty without one); with inbound auth
 * on another key's job is a 404, with auth off every job is visible by id, as in the reference.
 */
@ApplicationScoped
public class JobService {

    static final String NUL_MESSAGE = "invalid request: text must not contain NUL (\\u0000) characters";
    /**
     * The longest {@code Idempotency-Key} taken, as in Stripe's API, which made the header common (a UUID is 36
     * characters). A longer one is a 400: it might not fit the unique index that makes the key name one job
     * (PostgreSQL refuses index entries over 2,704 bytes, so a key of a few thousand characters failed the insert
     * with a 500).
     */
    static final int MAX_IDEMPOTENCY_KEY = 255;
    /**
     * The bytes of request echoes (prompts, mostly) one page of a job list carries at most: a twentieth of the heap
     * (about 23 MiB under {@code -Xmx512m}), read once from the database and written once into the answer.
     */
    static final long PAGE_ECHO_BYTES = Runtime.getRuntime().maxMemory() / 20;

    private final JobStore store;
    private final JobReads reads;
    private final ApiKeys apiKeys;
    private final Cli2ApiConfig config;
    private final ObjectMapper json;

    public JobService(JobStore store, JobReads reads, ApiKeys apiKeys, Cli2ApiConfig config, ObjectMapper json) {
        this.store = store;
        this.reads = reads;
        this.apiKeys = apiKeys;
        this.config = config;
        this.json = json;
    }

    /**
     * Persists a queued job for an already-validated request and answers it (202), or answers the job its idempotency
     * key names. The answer is rendered before the job is stored: a large prompt is echoed in it, and should anything
     * fail for want of memory it fails before a job exists to be paid for, so a client's retry cannot queue a second
     * one (a 50 MB prompt on a 512 MiB heap once stored its job, then failed rendering the answer from it; the edge
     * now refuses bodies that large for that heap, see {@code BodyBudget}).
     */
    Response create(RoutingContext rc, JobKind kind, String model, String vendorPath, ObjectNode upstreamBody,
            ObjectNode echo, byte[] rawRequest) {
        if (hasNul(upstreamBody) || hasNul(echo)) {
            // PostgreSQL's text and jsonb cannot hold U+0000: refuse it rather than fail at the insert
            throw ApiException.invalidRequest(NUL_MESSAGE);
        }
        String idempotencyKey = Optional.ofNullable(rc.request().getHeader("Idempotency-Key")).map(String::trim)
                .filter(k -> !k.isEmpty()).orElse(null);
        if (idempotencyKey != null && idempotencyKey.length() > MAX_IDEMPOTENCY_KEY) {
            throw ApiException.invalidRequest("Idempotency-Key must be at most " + MAX_IDEMPOTENCY_KEY + " characters");
        }
        long nowMs = System.currentTimeMillis();
        long createdAt = nowMs / 1000;
        Duration retention = config.job().retention();
        long expiresAt = retention.isNegative() || retention.isZero() ? 0
                : createdAt + Math.max(1, retention.toSeconds());
        String requestHash = sha256(rawRequest);
        Job queued = new Job();
        queued.id = JobIds.next(kind);
        queued.kind = kind;
        queued.model = model;
        queued.vendorPath = vendorPath;
        queued.createdAt = createdAt;
        queued.expiresAt = expiresAt;
        queued.requestBody = JsonSupport.text(json, upstreamBody);
        queued.requestEcho = JsonSupport.text(json, echo);
        queued.ownerKeyHash = owner(rc);
        queued.idempotencyKey = idempotencyKey;
        queued.requestHash = requestHash;
        queued.nextRunAt = nowMs;
        queued.updatedAt = nowMs;
        Response answer = JobViews.answer(json.getFactory(), JobView.of(queued, echo, json), 202);
        Job job = guarded(() -> store.insert(queued));
        if (job == queued) {
            return answer;
        }
        if (!job.requestHash.equals(requestHash)) {
            throw new ApiException(409, "invalid_request_error",
                    "Idempotency-Key was already used with a different request body").notWorthRetrying();
        }
        return JobViews.answer(json.getFactory(), JobView.of(job, json), 202);
    }

    /** Whether any name or text value in {@code node} holds U+0000. */
    static boolean hasNul(JsonNode node) {
        if (node.isTextual()) {
            return node.textValue().indexOf('\0') >= 0;
        }
        for (Iterator<String> names = node.fieldNames(); names.hasNext();) {
            if (names.next().indexOf('\0') >= 0) {
                return true;
            }
        }
        for (JsonNode child : node) {
            if (hasNul(child)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The view of job {@code id} of {@code kind} if the caller may see it, else the route's 404: its columns without
     * the request body (see {@link JobStore#view}).
     */
    JobView visible(RoutingContext rc, JobKind kind, String id) {
        String asSent = asSent(rc, id);
        if (!asSent.equals(id)) {
            throw ApiException.notFound(kind.notFoundMessage(asSent));
        }
        return guarded(() -> store.view(id)).filter(job -> visibleTo(rc, kind, job.kind(), job.ownerKeyHash()))
                .orElseThrow(() -> ApiException.notFound(kind.notFoundMessage(id)));
    }

    /**
     * The path segment {@code id} came from, as sent: JAX-RS drops a segment's matrix parameters ({@code ;x=1}), which
     * to the reference, and to the job GETs, are part of the id. {@code DELETE /v1/videos/<id>;x=1} deleted the job
     * that {@code GET} on the same path said did not exist.
     */
    private static String asSent(RoutingContext rc, String id) {
        String path = rc.normalizedPath();
        int start = path.indexOf("/" + id + ";");
        if (start < 0) {
            return id;
        }
        int end = path.indexOf('/', start + 1);
        return path.substring(start + 1, end < 0 ? path.length() : end);
    }

    /**
     * {@link #visible} without blocking, as a view, for the GETs SDK pollers repeat (see {@link JobReads}); a failed
     * read is the spec's {@code 500 store: …}. The answer names the job's model, so usage accounting records it (spec
     * §6.2: a JSON answer's top-level {@code model}).
     */
    Future<JobView> visibleNow(RoutingContext rc, JobKind kind, String id) {
        return reads.find(id).transform(read -> {
            if (read.failed()) {
                return Future.failedFuture(storeError(read.cause().getMessage(), read.cause()));
            }
            Optional<JobView> job = read.result()
                    .filter(found -> visibleTo(rc, kind, found.kind(), found.ownerKeyHash()));
            if (job.isEmpty()) {
                return Future.failedFuture(ApiException.notFound(kind.notFoundMessage(id)));
            }
            ApiEdge.recordModel(rc, job.get().model());
            return Future.succeededFuture(job.get());
        });
    }

    /** Whether a job of {@code jobKind} owned by {@code ownerKeyHash} is the caller's, asking for {@code kind}. */
    private boolean visibleTo(RoutingContext rc, JobKind kind, JobKind jobKind, String ownerKeyHash) {
        return jobKind == kind && (!apiKeys.required() || ownerKeyHash.equals(owner(rc)));
    }

    /**
     * One page of the caller's jobs of {@code kind}, its echoes within {@link #PAGE_ECHO_BYTES} (see
     * {@link JobStore#page}).
     */
    JobStore.Page page(RoutingContext rc, JobKind kind, Optional<JobCursor> after, boolean ascending, int limit) {
        return store.page(owner(rc), kind, after, ascending, limit, PAGE_ECHO_BYTES);
    }

    /**
     * Where a page after job {@code id} starts: the place of the caller's job, or of one the caller may have seen that
     * was deleted in the last day (an SDK deleting each video of a page as it goes asks for the next page after the
     * last one it deleted); else the route's 404.
     */
    JobCursor cursor(RoutingContext rc, JobKind kind, String id) {
        Optional<String> owner = apiKeys.required() ? Optional.of(owner(rc)) : Optional.empty();
        return guarded(() -> store.place(id, kind, owner)
                .or(() -> store.deletedPlace(id, kind, owner, System.currentTimeMillis() / 1000)))
                .orElseThrow(() -> ApiException.notFound(kind.notFoundMessage(id)));
    }

    /** Deletes {@code job}; the route's 404 when it is already gone (a concurrent DELETE took it). */
    void delete(JobView job) {
        if (!guarded(() -> store.delete(job.id(), System.currentTimeMillis() / 1000))) {
            throw ApiException.notFound(job.kind().notFoundMessage(job.id()));
        }
    }

    /** The caller's owner hash: the presented key's fingerprint, or empty. */
    String owner(RoutingContext rc) {
        return ApiKeys.presentedKey(rc.request().headers()).map(ApiKeys::fingerprint).orElse("");
    }

    /** Runs a store call, answering its failure as the spec's {@code 500 store: …}. */
    <T> T guarded(Supplier<T> call) {
        try {
            return call.get();
        } catch (PersistenceException e) {
            throw storeError(JobStore.describe(e), e);
        }
    }

    /** The spec's {@code 500 store: <database message>}. */
    private static ApiException storeError(String message, Throwable cause) {
        return new ApiException(500, "internal_error", "store: " + message, cause);
    }

    private static String sha256(byte[] value) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(value));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }
}
