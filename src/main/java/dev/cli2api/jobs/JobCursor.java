package dev.cli2api.jobs;

/**
 * Where a page of a job list starts: after job {@code id}, created at {@code createdAt} (unix seconds), in the list's
 * order by creation time, then id.
 */
record JobCursor(String id, long createdAt) {

    static JobCursor of(JobView job) {
        return new JobCursor(job.id(), job.createdAt());
    }
}
