package dev.cli2api.upstream;

import java.net.URI;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.client.api.QuarkusRestClientProperties;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.cli2api.api.JsonSupport;
import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;

/**
 * Submits and polls MuleRun vendor jobs without blocking, turning every answer (or its absence) into a typed
 * {@link SubmitOutcome} or {@link PollOutcome}; the returned {@code Uni}s never fail, so callers never handle HTTP.
 * <p>
 * Two resilience rules sit here so that every caller gets them: a 401 is answered by one credential refresh and one
 * retry with the new token (when the credential can be refreshed), and a stale pooled connection never costs a job.
 * Submits (not idempotent: a repeated one may be paid twice) go on a connection of their own, so they never meet a
 * pooled connection the upstream already closed; polls (idempotent GETs) reuse pooled connections and are repeated
 * once at once when the connection fails, instead of counting a transient error.
 */
@ApplicationScoped
public class MuleRunJobs {

    private static final Logger LOG = Logger.getLogger(MuleRunJobs.class);
    /** Idle pooled connections are dropped before a typical upstream keep-alive (60 s) closes them. */
    private static final int CONNECTION_TTL_SECONDS = 50;
    /** Enough for the worker's in-flight limit and thousands of synchronous waits polling every few seconds. */
    private static final int CONNECTION_POOL_SIZE = 256;
    private static final long CONNECT_TIMEOUT_SECONDS = 10;
    /**
     * A job call that gets no answer for this long gives up: a poll counts a transient error, a submit's outcome is
     * unknown (so its job fails rather than risk a second paid submission).
     */
    private static final long READ_TIMEOUT_SECONDS = 30;

    private final MuleRunUpstream upstream;
    private final ObjectMapper json;
    private volatile Clients clients;

    /** The pooled client for polls and the one-connection-per-call client for submits. */
    private record Clients(MuleRunJobApi polls, MuleRunJobApi submits) {
    }

    public MuleRunJobs(MuleRunUpstream upstream, ObjectMapper json) {
        this.upstream = upstream;
        this.json = json;
    }

    private Clients clients() {
        Clients current = clients;
        if (current == null) {
            synchronized (this) {
                if (clients == null) {
                    clients = new Clients(client(true), client(false));
                }
                current = clients;
            }
        }
        return current;
    }

    private MuleRunJobApi client(boolean keepAlive) {
        return QuarkusRestClientBuilder.newBuilder()
                .baseUri(URI.create(upstream.baseUrl()))
                .disableDefaultMapper(true)
                .connectTimeout(CONNECT_TIMEOUT_SECONDS, TimeUnit.SECONDS)
                .readTimeout(READ_TIMEOUT_SECONDS, TimeUnit.SECONDS)
                .property(QuarkusRestClientProperties.KEEP_ALIVE_ENABLED, keepAlive)
                .property(QuarkusRestClientProperties.CONNECTION_TTL, CONNECTION_TTL_SECONDS)
                .property(QuarkusRestClientProperties.CONNECTION_POOL_SIZE, CONNECTION_POOL_SIZE)
                .build(MuleRunJobApi.class);
    }

    /** Submits {@code body} to {@code vendorPath} (e.g. {@code /vendors/openai/v1/gpt-image-2/generation}). */
    public Uni<SubmitOutcome> submit(String vendorPath, ObjectNode body) {
        byte[] payload = JsonSupport.utf8(json, body); // a data URI may be tens of MB
        return submit(vendorPath, payload);
    }

    /** Submits the JSON object {@code payload} (UTF-8) to {@code vendorPath}. */
    public Uni<SubmitOutcome> submit(String vendorPath, byte[] payload) {
        return authorized(auth -> clients().submits().submit(relative(vendorPath), auth, payload))
                .map(response -> SubmitOutcome.classify(response.getStatus(), entity(response)))
                .onFailure().recoverWithItem(SubmitOutcome::transportError)
                .invoke(outcome -> LOG.debugf("submit %s -> %s", vendorPath, outcome));
    }

    /** Polls task {@code taskId} of a job submitted to {@code vendorPath}. */
    public Uni<PollOutcome> poll(String vendorPath, String taskId) {
        return authorized(auth -> Uni.createFrom().deferred(() -> clients().polls().poll(relative(vendorPath), taskId,
                auth)).onFailure(MuleRunJobs::connectionFailed).retry().atMost(1))
                .map(response -> PollOutcome.classify(response.getStatus(), entity(response)))
                .onFailure().recoverWithItem(PollOutcome::transportError)
                .invoke(outcome -> LOG.debugf("poll %s/%s -> %s", vendorPath, taskId, outcome));
    }

    /**
     * Calls {@code call} with the current token; after a 401, once more with a refreshed token when there is one
     * (otherwise the 401 stands and is classified like any other answer).
     */
    private Uni<Response> authorized(Function<String, Uni<Response>> call) {
        return Uni.createFrom().deferred(() -> {
            String token = upstream.token();
            return call.apply(bearer(token)).flatMap(response -> response.getStatus() != 401
                    ? Uni.createFrom().item(response)
                    : upstream.renewAfterUnauthorized(token).flatMap(fresh -> {
                        if (fresh.isEmpty()) {
                            return Uni.createFrom().item(response);
                        }
                        response.close();
                        LOG.info("upstream answered 401 to a job call; retrying once with the refreshed credential");
                        return call.apply(bearer(fresh.get()));
                    }));
        });
    }

    /** A failure that got no answer for a reason other than waiting too long (which a repeat would only double). */
    private static boolean connectionFailed(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof TimeoutException || t instanceof java.net.SocketTimeoutException
                    || t instanceof io.netty.handler.timeout.TimeoutException) {
                return false;
            }
        }
        return true;
    }

    private static String bearer(String token) {
        return "Bearer " + token;
    }

    private static String relative(String vendorPath) {
        return vendorPath.startsWith("/") ? vendorPath.substring(1) : vendorPath;
    }

    private static String entity(Response response) {
        try (response) {
            return response.hasEntity() ? response.readEntity(String.class) : "";
        }
    }
}
