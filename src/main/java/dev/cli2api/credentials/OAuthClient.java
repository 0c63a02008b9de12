package dev.cli2api.credentials;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Calls the two MuleRun OAuth endpoints (JWT to muk- exchange, refresh-token grant) with one
 * deadline per call and classifies failures as transient or permanent.
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

    private final String baseUrl;
    private final Duration timeout;
    private final HttpClient http;

    OAuthClient(String baseUrl, Duration timeout) {
        this.baseUrl = Objects.requireNonNull(baseUrl, "baseUrl");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        // the JDK client works before CDI is up and in plain unit tests; HTTP/1.1 keeps the wire simple
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /** Exchanges an OAuth JWT for the account's stable {@code muk-} API key. */
    String exchange(String jwt) throws OAuthException {
        HttpRequest request = request(EXCHANGE_PATH)
                .header("Authorization", "Bearer " + jwt)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.noBody())
                .build();
        Answer answer = send("cli-token", request, jwt);
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
        String form = "grant_type=refresh_token"
                + "&refresh_token=" + URLEncoder.encode(refreshToken, StandardCharsets.UTF_8)
                + "&client_id=" + CLIENT_ID;
        HttpRequest request = request(TOKEN_PATH)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(form))
                .build();
        Answer answer = send("oauth2/token", request, refreshToken);
        if (answer.status() >= 500) {
            throw new OAuthException("oauth2/token: HTTP " + answer.status(), true);
        }
        JsonNode body = answer.json()
                .orElseThrow(() -> new OAuthException("oauth2/token: HTTP " + answer.status() + ": invalid JSON response",
                        false));
        String error = text(body.path("error"));
        if (!error.isEmpty()) {
            String description = text(body.path("error_description"));
            throw new OAuthException("oauth2/token: " + error + (description.isEmpty() ? "" : ": " + description), false);
        }
        String access = text(body.path("access_token"));
        if (access.isEmpty()) {
            throw new OAuthException("oauth2/token: HTTP " + answer.status() + ": response has no access_token", false);
        }
        return new RefreshedTokens(access, text(body.path("refresh_token")), body.path("expires_in").asLong(0));
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(timeout);
    }

    /** Sends with one deadline covering connect, headers and the (capped) body; network trouble is transient. */
    private Answer send(String call, HttpRequest request, String secret) throws OAuthException {
        CompletableFuture<HttpResponse<byte[]>> pending = http.sendAsync(request,
                info -> new CappedBody(MAX_BODY_BYTES));
        try {
            HttpResponse<byte[]> response = pending.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            return new Answer(response.statusCode(), new String(response.body(), StandardCharsets.UTF_8));
        } catch (TimeoutException e) {
            pending.cancel(true);
            throw new OAuthException(call + ": no answer within " + timeout.toMillis() + " ms", true);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new OAuthException(call + ": " + describe(cause).replace(secret, "***"), true);
        } catch (InterruptedException e) {
            pending.cancel(true);
            Thread.currentThread().interrupt();
            throw new OAuthException(call + ": interrupted", true);
        }
    }

    /** The failure's type and the first message along its causes (the JDK often leaves the outer one empty). */
    private static String describe(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c.getMessage() != null && !c.getMessage().isBlank()) {
                return t.getClass().getSimpleName() + ": " + c.getMessage();
            }
        }
        return t.getClass().getSimpleName();
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

    /** Collects at most {@code limit} bytes of a response body and then stops reading. */
    private static final class CappedBody implements HttpResponse.BodySubscriber<byte[]> {

        private final int limit;
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final CompletableFuture<byte[]> result = new CompletableFuture<>();
        private Flow.Subscription subscription;

        CappedBody(int limit) {
            this.limit = limit;
        }

        @Override
        public CompletionStage<byte[]> getBody() {
            return result;
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            this.subscription = subscription;
            subscription.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(List<ByteBuffer> buffers) {
            if (result.isDone()) {
                return;
            }
            for (ByteBuffer buffer : buffers) {
                int take = Math.min(buffer.remaining(), limit - bytes.size());
                byte[] chunk = new byte[take];
                buffer.get(chunk);
                bytes.write(chunk, 0, take);
                if (bytes.size() >= limit) {
                    result.complete(bytes.toByteArray());
                    subscription.cancel();
                    return;
                }
            }
        }

        @Override
        public void onError(Throwable throwable) {
            result.completeExceptionally(throwable);
        }

        @Override
        public void onComplete() {
            result.complete(bytes.toByteArray());
        }
    }
}
