package dev.cli2api.jobs;

/** One row of the {@code jobs} table as the routes and the worker read it (JSON columns kept as text). */
record Job(String id, JobKind kind, String model, String vendorPath, String vendorTaskId, long createdAt,
        long completedAt, long expiresAt, String status, String resultUrls, int errCode, String errMessage,
        String requestBody, String requestEcho, String submitState, long submittedAt, long pollIntervalMs,
        long nextRunAt, String ownerKeyHash, String requestHash) {

    boolean terminal() {
        return status.equals("completed") || status.equals("failed");
    }
}
