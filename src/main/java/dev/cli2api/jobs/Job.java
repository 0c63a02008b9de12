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
 * One row of the {@code jobs} table (schema owned by Flyway, {@code V1__jobs_and_usage.sql}); fields map to the
 * snake_case columns of the same name. Field defaults mirror the column defaults, since an insert writes every mapped
 * column; the JSON columns are kept as text.
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

    public String vendorPath;

    public String vendorTaskId = "";

    /** Unix seconds. */
    public long createdAt;

    /** Unix seconds, 0 until terminal. */
    public long completedAt;

    /** Unix seconds, 0 = never expires. */
    public long expiresAt;

    /** {@code queued}, {@code in_progress}, {@code completed} or {@code failed}. */
    public String status = "queued";

    /** JSON array of result URLs. */
    public String resultUrls = "[]";

    public int errCode;

    public String errMessage = "";

    /** The mapped upstream body, sent at most once. */
    @JdbcTypeCode(SqlTypes.JSON)
    public String requestBody = "{}";

    /** What the OpenAI Videos object echoes back (prompt, seconds, size). */
    @JdbcTypeCode(SqlTypes.JSON)
    public String requestEcho = "{}";

    /** {@code pending} → {@code submitting} (committed before the HTTP call) → {@code submitted}. */
    public String submitState = "pending";

    public int submitAttempts;

    /** Epoch ms the upstream accepted the job (the hard cap's clock). */
    public long submittedAt;

    public int pollAttempts;

    /** Consecutive transient poll errors. */
    public int pollErrors;

    /** The current backoff step. */
    public long pollIntervalMs;

    /** The last raw upstream status, never shown to clients. */
    public String upstreamStatus = "";

    /** The last transient error, for operators. */
    public String lastError = "";

    /** Epoch ms the worker should next look at the job. */
    public long nextRunAt;

    /** The worker holding the job until {@link #leaseExpiresAt}, or null. */
    public String leaseOwner;

    /** Epoch ms. */
    public long leaseExpiresAt;

    /** Fingerprint of the API key that created the job (empty without one). */
    public String ownerKeyHash = "";

    public String idempotencyKey;

    /** SHA-256 of the create request, for {@code Idempotency-Key} conflicts. */
    public String requestHash = "";

    /** Epoch ms. */
    public long updatedAt;

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
