package dev.cli2api.config;

import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithName;

/** Typed view of the {@code MULERUN_*} environment variables: the upstream gateway and its OAuth host. */
@ConfigMapping(prefix = "mulerun")
public interface MuleRunConfig {

    String DEFAULT_API_BASE_URL = "https://api.mulerun.com";
    String DEFAULT_OAUTH_BASE_URL = "https://mulerun.com";

    /** {@code MULERUN_TOKEN}: the upstream credential; wins over every credential file. */
    @WithName("token")
    Optional<String> tokenRaw();

    /** The trimmed token, if non-empty. */
    default Optional<String> token() {
        return tokenRaw().map(String::trim).filter(s -> !s.isEmpty());
    }

    /** {@code MULERUN_API_BASE_URL}: inference gateway (https://api.mulerun.com), trailing slashes trimmed. */
    @WithName("api-base-url")
    Optional<String> apiBaseUrlRaw();

    default String apiBaseUrl() {
        return baseUrl(apiBaseUrlRaw(), DEFAULT_API_BASE_URL);
    }

    /** {@code MULERUN_OAUTH_BASE_URL}: OAuth and platform host (https://mulerun.com), trailing slashes trimmed. */
    @WithName("oauth-base-url")
    Optional<String> oauthBaseUrlRaw();

    default String oauthBaseUrl() {
        return baseUrl(oauthBaseUrlRaw(), DEFAULT_OAUTH_BASE_URL);
    }

    private static String baseUrl(Optional<String> raw, String fallback) {
        String s = raw.map(String::trim).orElse("");
        while (s.endsWith("/")) {
            s = s.substring(0, s.length() - 1);
        }
        return s.isEmpty() ? fallback : s;
    }
}
