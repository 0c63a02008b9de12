package dev.cli2api.credentials;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.jboss.resteasy.reactive.client.api.QuarkusRestClientProperties;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.core.Response;

/**
 * Calls the two MuleRun OAuth endpoints (JWT to muk- exchange, refresh-token grant) through the typed
 * {@link MuleRunOAuthApi} client with one deadline per call, and classifies failures as transient or
 * permanent. Blocking: called at startup and, after an upstream 401, on a worker thread.
 */
final class OAuthClient {

    static final String EXCHANGE_PATH = "/api/platform/users/cli-token";
    static final String TOKEN_PATH = "/oauth2/token";
    static final String CLIENT_ID = "mulerun-cli";

    /** Response bodies are read up to this many bytes, as the reference does. */
    static final int MAX_BODY_BYTES = 64 * 1024;
    private static final int ERROR_BODY_CHARS = 200;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A successful refresh: the new access token, the rotated refresh token (may be empty), its lifetime in seconds. */
    record RefreshedTokens(String accessToken, String refreshToken, long expiresIn) {

        @Override
        public String toString() {
            return "RefreshedTokens[accessToken=" + Tokens.redact(accessToken) + ", refreshToken=***, expiresIn="
                    + expiresIn + "]";
        }
    }

    private final Duration timeout;
    private final MuleRunOAuthApi api;

    OAuthClient(String baseUrl, Duration timeout) {
        Objects.requireNonNull(baseUrl, "baseUrl");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.api = QuarkusRestClientBuilder.newBuilder()
                .baseUri(URI.create(baseUrl))
                .disableDefaultMapper(true)
                .followRedirects(false)
                .connectTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .readTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                // OAuth calls are rare: no connection is kept between them
                .property(QuarkusRestClientProperties.KEEP_ALIVE_ENABLED, false)
                .build(MuleRunOAuthApi.class);
    }

    /** Exchanges an OAuth JWT for the account's stable {@code muk-} API key. */
    String exchange(String jwt) throws OAuthException {
        Answer answer = send("cli-token", api.exchange("Bearer " + jwt, ""), jwt);
        if (answer.status() >= 500) {
            throw new OAuthException("cli-token: HTTP " + answer.status() + ": " + answer.snippet(jwt), true);
        }
        if (answer.status() < 200 || answer.status() > 299) {
            throw new OAuthException("cli-token: HTTP " + answer.status() + ": " + answer.snippet(jwt), false);
        }
        JsonNode body = answer.json().orElseThrow(() -> new OAuthException("cli-token: decode response: invalid JSON", false));
        String key = text(body.path("data").path("key"));
        if (key.isEmpty()) {
            throw new OAuthException("cli-token: response has no data.key (code " + text(body.path("code")) + ")", false);
        }
        if (!Tokens.isMukKey(key)) {
            // the returned key is a secret of unknown kind: name the problem, never the key
            throw new OAuthException("cli-token: returned key has an unexpected prefix (want " + Tokens.MUK_PREFIX + ")",
                    false);
        }
        return key;
    }

    /** Redeems a refresh token; refresh tokens rotate, so the answer's refresh token must be persisted. */
    RefreshedTokens refresh(String refreshToken) throws OAuthException {
        Answer answer = send("oauth2/token", api.refresh("refresh_token", refreshToken, CLIENT_ID), refreshToken);
        if (answer.status() >= 500) {
            throw new OAuthException("oauth2/token: HTTP " + answer.status(), true);
        }
        JsonNode body = answer.json()
                .orElseThrow(() -> new OAuthException("oauth2/token: HTTP " + answer.status() + ": invalid JSON response",
                        false));
        String error = text(body.path("error"));
        if (!error.isEmpty()) {
            String description = text(body.path("error_description"));
            // the server may quote the refresh token it refuses ("refresh token rt-… revoked"): never log it
            String said = error + (description.isEmpty() ? "" : ": " + description);
            throw new OAuthException("oauth2/token: " + said.replace(refreshToken, "***"), false);
        }
        String access = text(body.path("access_token"));
        if (access.isEmpty()) {
            throw new OAuthException("oauth2/token: HTTP " + answer.status() + ": response has no access_token", false);
        }
        return new RefreshedTokens(access, text(body.path("refresh_token")), body.path("expires_in").asLong(0));
    }

    /**
     * Waits for {@code call} with one deadline covering connect, headers and body; network trouble is transient. Only
     * the first {@link #MAX_BODY_BYTES} of the body are looked at, as the reference reads no more.
     */
    private Answer send(String name, Uni<Response> call, String secret) throws OAuthException {
        try (Response response = call.await().atMost(timeout)) {
            byte[] body = response.hasEntity() ? response.readEntity(byte[].class) : new byte[0];
            int length = Math.min(body.length, MAX_BODY_BYTES);
            return new Answer(response.getStatus(), new String(body, 0, length, StandardCharsets.UTF_8));
        } catch (io.smallrye.mutiny.TimeoutException e) {
            throw new OAuthException(name + ": no answer within " + timeout.toMillis() + " ms", true);
        } catch (RuntimeException e) {
            if (timedOut(e)) {
                throw new OAuthException(name + ": no answer within " + timeout.toMillis() + " ms", true);
            }
            throw new OAuthException(name + ": " + describe(e).replace(secret, "***"), true);
        }
    }

    /** A read timeout of the client (an idle connection), as opposed to the overall deadline. */
    private static boolean timedOut(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof java.util.concurrent.TimeoutException || c instanceof java.net.SocketTimeoutException) {
                return true;
            }
        }
        return false;
    }

    /** The root failure's type and message (the client wraps it in exceptions that say less). */
    private static String describe(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null || root.getMessage().isBlank() ? t.getMessage() : root.getMessage();
        return root.getClass().getSimpleName() + (message == null || message.isBlank() ? "" : ": " + message);
    }

    private static String text(JsonNode node) {
        return node.isTextual() ? node.asText().trim() : "";
    }

    private record Answer(int status, String body) {

        Optional<JsonNode> json() {
            try {
                JsonNode node = JSON.readTree(body);
                return node != null && node.isObject() ? Optional.of(node) : Optional.empty();
            } catch (IOException e) {
                return Optional.empty();
            }
        }

        /** The start of the body for error messages, with the credential we sent masked should the server echo it. */
        String snippet(String secret) {
            String s = body.strip();
            if (!secret.isEmpty()) {
                s = s.replace(secret, "***");
            }
            return s.length() > ERROR_BODY_CHARS ? s.substring(0, ERROR_BODY_CHARS) : s;
        }
    }
}
