package dev.cli2api.jobs;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.cli2api.api.ApiException;
import dev.cli2api.api.EdgeResponses;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

/**
 * {@code GET /v1/videos/{id}} and {@code GET /v1/audio/music/{id}}: what SDK pollers repeat every few seconds, so they
 * are plain Vert.x routes like the proxy's (the edge filter has already run: request id, key check, usage and access
 * log) that read the row without blocking ({@link JobReads}) and answer on the event loop, without a JAX-RS request
 * context per poll. The other job routes stay JAX-RS resources.
 */
@Singleton
public class JobGetRoutes {

    private static final Logger LOG = Logger.getLogger(JobGetRoutes.class);

    private final JobService jobs;
    private final ObjectMapper json;

    public JobGetRoutes(JobService jobs, ObjectMapper json) {
        this.jobs = jobs;
        this.json = json;
    }

    void register(@Observes Router router) {
        router.get("/v1/videos/:id").handler(rc -> answer(rc, JobKind.VIDEO));
        router.get("/v1/audio/music/:id").handler(rc -> answer(rc, JobKind.MUSIC));
    }

    private void answer(RoutingContext rc, JobKind kind) {
        jobs.visibleNow(rc, kind, rc.pathParam("id")).onComplete(read -> {
            if (rc.response().ended()) {
                return;
            }
            if (read.failed()) {
                EdgeResponses.error(rc, EdgeResponses.styleOf(rc),
                        read.cause() instanceof ApiException api ? api : unexpected(read.cause()));
                return;
            }
            Buffer body;
            try {
                body = Buffer.buffer(JobViews.json(json.getFactory(), read.result()));
            } catch (RuntimeException e) {
                // a failure while rendering is answered, never a request left hanging
                EdgeResponses.error(rc, EdgeResponses.styleOf(rc), unexpected(e));
                return;
            }
            HttpServerResponse response = rc.response();
            JobViews.pollAfter(read.result()).ifPresent(wait -> response.putHeader(JobViews.POLL_AFTER_HEADER, wait));
            response.putHeader("Content-Type", "application/json").end(body);
        });
    }

    /** A failure that is not the read's (those are already {@code 500 store: …}): logged, answered as ours. */
    private static ApiException unexpected(Throwable failure) {
        LOG.error("job GET failed", failure);
        return new ApiException(500, "internal_error", "internal error", failure);
    }
}
