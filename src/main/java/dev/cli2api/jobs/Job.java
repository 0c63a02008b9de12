package dev.cli2api.jobs;

import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Converter;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * One row of the {@code jobs} table (schema owned by Flyway, {@code V1__jobs_and_usage.sql}). Field defaults mirror the
 * column defaults, since an insert writes every mapped column; the JSON columns are kept as text.
 */
@Entity
@Table(name = "jobs")
public class Job extends PanacheEntityBase {

    @Id
    @Column(name = "local_id")
    public String id;

    @Convert(converter = KindColumn.class)
    public JobKind kind;

    public String model;

    @Column(name = "vendor_path")
    public String vendorPath;

    @Column(name = "vendor_task_id")
    public String vendorTaskId = "";

    /** Unix seconds. */
    @Column(name = "created_at")
    public long createdAt;

    /** Unix seconds, 0 until terminal. */
    @Column(name = "completed_at")
    public long completedAt;

    /** Unix seconds, 0 = never expires. */
    @Column(name = "expires_at")
    public long expiresAt;

    /** {@code queued}, {@code in_progress}, {@code completed} or {@code failed}. */
    public String status = "queued";

    /** JSON array of result URLs. */
    @Column(name = "result_urls")
    public String resultUrls = "[]";

    @Column(name = "err_code")
    public int errCode;

    @Column(name = "err_message")
    public String errMessage = "";

    /** The mapped upstream body, sent at most once. */
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "request_body")
    public String requestBody = "{}";

    /** What the OpenAI Videos object echoes back (prompt, seconds, size). */
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "request_echo")
    public String requestEcho = "{}";

    /** {@code pending} → {@code submitting} (committed before the HTTP call) → {@code submitted}. */
    @Column(name = "submit_state")
    public String submitState = "pending";

    @Column(name = "submit_attempts")
    public int submitAttempts;

    /** Epoch ms the upstream accepted the job (the hard cap's clock). */
    @Column(name = "submitted_at")
    public long submittedAt;

    @Column(name = "poll_attempts")
    public int pollAttempts;

    /** Consecutive transient poll errors. */
    @Column(name = "poll_errors")
    public int pollErrors;

    /** The current backoff step. */
    @Column(name = "poll_interval_ms")
    public long pollIntervalMs;

    /** The last raw upstream status, never shown to clients. */
    @Column(name = "upstream_status")
    public String upstreamStatus = "";

    /** The last transient error, for operators. */
    @Column(name = "last_error")
    public String lastError = "";

    /** Epoch ms the worker should next look at the job. */
    @Column(name = "next_run_at")
    public long nextRunAt;

    /** The worker holding the job until {@link #leaseExpiresAt}, or null. */
    @Column(name = "lease_owner")
    public String leaseOwner;

    /** Epoch ms. */
    @Column(name = "lease_expires_at")
    public long leaseExpiresAt;

    /** Fingerprint of the API key that created the job (empty without one). */
    @Column(name = "owner_key_hash")
    public String ownerKeyHash = "";

    @Column(name = "idempotency_key")
    public String idempotencyKey;

    /** SHA-256 of the create request, for {@code Idempotency-Key} conflicts. */
    @Column(name = "request_hash")
    public String requestHash = "";

    /** Epoch ms. */
    @Column(name = "updated_at")
    public long updatedAt;

    boolean terminal() {
        return status.equals("completed") || status.equals("failed");
    }

    /** Stores {@link JobKind} as its {@code jobs.kind} value. */
    @Converter
    public static class KindColumn implements AttributeConverter<JobKind, String> {

        @Override
        public String convertToDatabaseColumn(JobKind kind) {
            return kind == null ? null : kind.stored();
        }

        @Override
        public JobKind convertToEntityAttribute(String stored) {
            return stored == null ? null : JobKind.fromStored(stored);
        }
    }
}
