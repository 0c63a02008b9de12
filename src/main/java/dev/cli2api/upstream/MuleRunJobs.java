package dev.cli2api.upstream;

import java.net.URI;
import java.util.concurrent.TimeUnit;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.client.api.QuarkusRestClientProperties;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;

/**
 * Submits and polls MuleRun vendor jobs without blocking, turning every answer (or its absence) into a typed
 * {@link SubmitOutcome} or {@link PollOutcome}; the returned {@code Uni}s never fail, so callers never handle HTTP.
 */
@ApplicationScoped
public class MuleRunJobs {

    private static final Logger LOG = Logger.getLogger(MuleRunJobs.class);
    /** Idle pooled connections are dropped before a typical upstream keep-alive (60 s) closes them. */
    private static final int CONNECTION_TTL_SECONDS = 50;
    private static final long CONNECT_TIMEOUT_SECONDS = 10;

    private final MuleRunUpstream upstream;
    private volatile MuleRunJobApi api;

    public MuleRunJobs(MuleRunUpstream upstream) {
        this.upstream = upstream;
    }

    private MuleRunJobApi api() {
        MuleRunJobApi current = api;
        if (current == null) {
            synchronized (this) {
                if (api == null) {
                    api = QuarkusRestClientBuilder.newBuilder()
                            .baseUri(URI.create(upstream.baseUrl()))
                            .clientHeadersFactory(new BearerTokenHeaders(upstream))
                            .disableDefaultMapper(true)
                            .connectTimeout(CONNECT_TIMEOUT_SECONDS, TimeUnit.SECONDS)
                            .property(QuarkusRestClientProperties.CONNECTION_TTL, CONNECTION_TTL_SECONDS)
                            .build(MuleRunJobApi.class);
                }
                current = api;
            }
        }
        return current;
    }

    /** Submits {@code body} to {@code vendorPath} (e.g. {@code /vendors/openai/v1/gpt-image-2/generation}). */
    public Uni<SubmitOutcome> submit(String vendorPath, ObjectNode body) {
        return Uni.createFrom().deferred(() -> api().submit(relative(vendorPath), body.toString()))
                .map(response -> SubmitOutcome.classify(response.getStatus(), entity(response)))
                .onFailure().recoverWithItem(SubmitOutcome::transportError)
                .invoke(outcome -> LOG.debugf("submit %s -> %s", vendorPath, outcome));
    }

    /** Polls task {@code taskId} of a job submitted to {@code vendorPath}. */
    public Uni<PollOutcome> poll(String vendorPath, String taskId) {
        return Uni.createFrom().deferred(() -> api().poll(relative(vendorPath), taskId))
                .map(response -> PollOutcome.classify(response.getStatus(), entity(response)))
                .onFailure().recoverWithItem(PollOutcome::transportError)
                .invoke(outcome -> LOG.debugf("poll %s/%s -> %s", vendorPath, taskId, outcome));
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
