package dev.cli2api.jobs;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.cli2api.api.ApiException;
import dev.cli2api.api.EdgeResponses;
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
        jobs.visibleNow(rc, kind, rc.pathParam("id")).subscribe().with(job -> {
            HttpServerResponse response = rc.response();
            if (response.ended()) {
                return;
            }
            JobViews.pollAfter(job).ifPresent(wait -> response.putHeader(JobViews.POLL_AFTER_HEADER, wait));
            response.putHeader("Content-Type", "application/json").end(JobViews.render(json, job).toString());
        }, failure -> EdgeResponses.error(rc, EdgeResponses.styleOf(rc), failure instanceof ApiException api ? api
                : new ApiException(500, "internal_error", "store: " + failure.getMessage(), failure)));
    }
}
