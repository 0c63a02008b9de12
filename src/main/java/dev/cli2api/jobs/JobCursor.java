package dev.cli2api.jobs;

/**
 * Where a page of a job list starts: after job {@code id}, created at {@code createdAt} (unix seconds) as the
 * {@code listSeq}-th job inserted. Lists go by creation second, then by insertion order within a second (the ids are
 * random, so ordering by them put a later job before an earlier one of the same second).
 */
record JobCursor(String id, long createdAt, long listSeq) {
}
