package dev.cli2api.proxy;

/** The three text pass-through routes and what each does with a request body before relaying it. */
enum ProxySurface {

    /** {@code /v1/chat/completions}: vendor-prefix routing, Bearer auth upstream. */
    CHAT("/v1/chat/completions", "/v1/chat/completions", true),
    /** {@code /v1/responses}: always {@code /vendors/openai/v1/responses}, {@code openai/} stripped. */
    RESPONSES("/v1/responses", "/vendors/openai/v1/responses", true),
    /** {@code /v1/messages}: pure pass-through with {@code X-API-Key} upstream. */
    MESSAGES("/v1/messages", "/v1/messages", false);

    private final String inboundPath;
    private final String upstreamPath;
    private final boolean inspectsBody;

    ProxySurface(String inboundPath, String upstreamPath, boolean inspectsBody) {
        this.inboundPath = inboundPath;
        this.upstreamPath = upstreamPath;
        this.inspectsBody = inspectsBody;
    }

    String inboundPath() {
        return inboundPath;
    }

    /** Upstream path when no vendor routing applies. */
    String upstreamPath() {
        return upstreamPath;
    }

    /** True for chat and responses: gzip decoding and model rewriting (spec §1.9). */
    boolean inspectsBody() {
        return inspectsBody;
    }

    /** The upstream auth header name (spec §2.2). */
    String authHeader() {
        return this == MESSAGES ? "X-API-Key" : "Authorization";
    }

    /** The upstream auth header value for {@code token}. */
    String authValue(String token) {
        return this == MESSAGES ? token : "Bearer " + token;
    }
}
