package dev.cli2api.jobs;

import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.cli2api.api.ApiException;
import dev.cli2api.catalog.GenerationModel;
import dev.cli2api.catalog.ModelCatalog;
import dev.cli2api.catalog.VideoRequest;
import io.vertx.ext.web.RoutingContext;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** {@code POST /v1/videos} queues a durable video job (202); {@code GET /v1/videos/{id}} reads it from the store. */
@Path("/v1/videos")
public class VideosResource {

    private final ModelCatalog catalog;
    private final JobService jobs;
    private final ObjectMapper json;

    public VideosResource(ModelCatalog catalog, JobService jobs, ObjectMapper json) {
        this.catalog = catalog;
        this.jobs = jobs;
        this.json = json;
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    public Response create(byte[] raw, RoutingContext rc) {
        String body = new String(raw, StandardCharsets.UTF_8);
        VideoRequest request = JobService.decode(json, body, VideoRequest.class);
        if (request == null || isEmpty(request.prompt())) {
            throw ApiException.invalidRequest("prompt/input is required");
        }
        if (isEmpty(request.model())) {
            throw ApiException.invalidRequest("model is required");
        }
        GenerationModel<VideoRequest> model = catalog.forVideo(request.model())
                .orElseThrow(() -> ApiException.modelNotFound("unknown video model: " + request.model()));
        ObjectNode echo = json.createObjectNode();
        echo.put("prompt", request.prompt());
        String seconds = request.seconds() != null ? request.seconds()
                : request.duration() != null ? String.valueOf(request.duration()) : null;
        if (seconds != null) {
            echo.put("seconds", seconds);
        }
        if (request.size() != null) {
            echo.put("size", request.size());
        }
        Job job = jobs.create(rc, JobKind.VIDEO, model.id(), model.vendorPath(), model.map(request), echo, body);
        return JobViews.answer(json, job, 202);
    }

    @GET
    @Path("{id}")
    @Produces(MediaType.APPLICATION_JSON)
    public Response get(@PathParam("id") String id, RoutingContext rc) {
        return JobViews.answer(json, jobs.visible(rc, JobKind.VIDEO, id), 200);
    }

    static boolean isEmpty(String value) {
        return value == null || value.isEmpty();
    }
}
