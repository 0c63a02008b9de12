-- Durable video/music jobs. The first twelve columns keep the reference's names and meaning
-- (spec §5.1); the rest is the worker's state (DESIGN decisions 1, 2, 3, 7).
CREATE TABLE jobs (
    local_id          TEXT    NOT NULL,
    kind              TEXT    NOT NULL,
    model             TEXT    NOT NULL,
    vendor_path       TEXT    NOT NULL,
    vendor_task_id    TEXT    NOT NULL DEFAULT '',
    created_at        BIGINT  NOT NULL,                 -- unix seconds
    completed_at      BIGINT  NOT NULL DEFAULT 0,       -- unix seconds, 0 until terminal
    expires_at        BIGINT  NOT NULL DEFAULT 0,       -- unix seconds, 0 = never expires
    status            TEXT    NOT NULL DEFAULT 'queued',
    result_urls       TEXT    NOT NULL DEFAULT '[]',    -- JSON array of result URLs
    err_code          INTEGER NOT NULL DEFAULT 0,
    err_message       TEXT    NOT NULL DEFAULT '',
    -- what to send upstream, and what the OpenAI Videos object echoes back
    request_body      JSONB   NOT NULL DEFAULT '{}',    -- the mapped upstream body, sent at most once
    request_echo      JSONB   NOT NULL DEFAULT '{}',    -- e.g. prompt, seconds, size
    -- submission: pending -> submitting (committed before the HTTP call) -> submitted
    submit_state      TEXT    NOT NULL DEFAULT 'pending',
    submit_attempts   INTEGER NOT NULL DEFAULT 0,
    submitted_at      BIGINT  NOT NULL DEFAULT 0,       -- epoch ms the upstream accepted it (hard cap clock)
    -- polling
    poll_attempts     INTEGER NOT NULL DEFAULT 0,
    poll_errors       INTEGER NOT NULL DEFAULT 0,       -- consecutive transient poll errors
    poll_interval_ms  BIGINT  NOT NULL DEFAULT 0,       -- current backoff step
    upstream_status   TEXT    NOT NULL DEFAULT '',      -- last raw task_info.status, never shown to clients
    last_error        TEXT    NOT NULL DEFAULT '',      -- last transient error, for operators
    next_run_at       BIGINT  NOT NULL DEFAULT 0,       -- epoch ms the worker should next look at the job
    -- claim lease: a worker owns a job until lease_expires_at
    lease_owner       TEXT,
    lease_expires_at  BIGINT  NOT NULL DEFAULT 0,       -- epoch ms
    -- ownership and idempotency
    owner_key_hash    TEXT    NOT NULL DEFAULT '',      -- fingerprint of the API key that created it
    idempotency_key   TEXT,
    request_hash      TEXT    NOT NULL DEFAULT '',      -- SHA-256 of the create request, for Idempotency-Key conflicts
    updated_at        BIGINT  NOT NULL DEFAULT 0,       -- epoch ms
    CONSTRAINT jobs_pk PRIMARY KEY (local_id),
    CONSTRAINT jobs_kind_ck CHECK (kind IN ('video', 'music')),
    CONSTRAINT jobs_status_ck CHECK (status IN ('queued', 'in_progress', 'completed', 'failed')),
    CONSTRAINT jobs_submit_state_ck CHECK (submit_state IN ('pending', 'submitting', 'submitted'))
);

CREATE INDEX jobs_created_at_idx ON jobs (created_at);
CREATE INDEX jobs_expires_at_idx ON jobs (expires_at);
-- the worker's claim query: due, unfinished jobs
CREATE INDEX jobs_due_idx ON jobs (next_run_at) WHERE status IN ('queued', 'in_progress');
-- list pagination per owner and kind
CREATE INDEX jobs_owner_list_idx ON jobs (owner_key_hash, kind, created_at, local_id);
CREATE UNIQUE INDEX jobs_idempotency_uq ON jobs (owner_key_hash, kind, idempotency_key)
    WHERE idempotency_key IS NOT NULL;

-- One row per completed API call (spec §6.4).
CREATE TABLE usage_records (
    id                BIGSERIAL,
    ts                BIGINT  NOT NULL,                 -- unix seconds, request start
    endpoint          TEXT    NOT NULL,
    model             TEXT    NOT NULL DEFAULT '',
    status            INTEGER NOT NULL DEFAULT 0,
    duration_ms       BIGINT  NOT NULL DEFAULT 0,
    bytes_out         BIGINT  NOT NULL DEFAULT 0,
    prompt_tokens     BIGINT  NOT NULL DEFAULT 0,
    completion_tokens BIGINT  NOT NULL DEFAULT 0,
    request_id        TEXT    NOT NULL DEFAULT '',
    api_key_hash      TEXT    NOT NULL DEFAULT '',
    CONSTRAINT usage_records_pk PRIMARY KEY (id)
);

CREATE INDEX usage_records_ts_idx ON usage_records (ts);
CREATE INDEX usage_records_ts_model_idx ON usage_records (ts, model);
