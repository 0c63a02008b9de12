package dev.cli2api.usage;

/**
 * One completed API call as usage accounting stores it (spec §6.1): never the API key itself, only its
 * 12-hex-character fingerprint.
 */
public record UsageRecord(long timestamp, String endpoint, String model, int status, long durationMs, long bytesOut,
        long promptTokens, long completionTokens, String requestId, String apiKeyHash) {
}
