-- Where deleted jobs stood in their owner's list, for a day: GET /v1/videos?after=<id> goes on after a job that was
-- deleted (DELETE /v1/videos/{id}, or the reaper) since its id was the last of a page. An SDK that deletes each video
-- of a page while it pages on (for video in client.videos.list(): client.videos.delete(video.id)) asks for the next
-- page after the last video it deleted; without the place of that video the list answered 404 there.
CREATE TABLE deleted_jobs (
    local_id        TEXT   NOT NULL,
    kind            TEXT   NOT NULL,
    owner_key_hash  TEXT   NOT NULL,
    created_at      BIGINT NOT NULL,                   -- unix seconds, as the job had it
    deleted_at      BIGINT NOT NULL,                   -- unix seconds
    CONSTRAINT deleted_jobs_pk PRIMARY KEY (local_id)
);

CREATE INDEX deleted_jobs_deleted_at_idx ON deleted_jobs (deleted_at);
