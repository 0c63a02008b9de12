-- GET /v1/videos listed a caller's jobs by (created_at, local_id): created_at is in whole seconds and the id random,
-- so a job created later in the same second as a page's last job, with a lower id, sorted before it, and a client
-- paging on with ?order=asc&after=<that last id> never saw it. list_seq numbers the jobs as they are inserted and
-- orders jobs of the same second; deleted jobs keep theirs with their list place (V5).
ALTER TABLE jobs ADD COLUMN list_seq BIGINT GENERATED ALWAYS AS IDENTITY;
ALTER TABLE deleted_jobs ADD COLUMN list_seq BIGINT NOT NULL DEFAULT 0;

DROP INDEX jobs_owner_list_idx;
CREATE INDEX jobs_owner_list_idx ON jobs (owner_key_hash, kind, created_at, list_seq);
