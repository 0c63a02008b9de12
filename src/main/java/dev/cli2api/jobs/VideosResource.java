package dev.cli2api.jobs;

import static dev.cli2api.api.JsonBodies.isEmpty;

import java.util.List;
import java.util.Optional;

import org.jboss.resteasy.reactive.server.multipart.MultipartFormDataInput;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.cli2api.api.ApiEdge;
import dev.cli2api.api.ApiException;
import dev.cli2api.api.JsonBodies;
import dev.cli2api.catalog.GenerationModel;
import dev.cli2api.catalog.ModelCatalog;
import dev.cli2api.catalog.VideoRequest;
import io.vertx.ext.web.RoutingContext;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * The video job routes: {@code POST /v1/videos} queues a durable job (202), and OpenAI's list and delete
 * ({@code GET /v1/videos/{id}} is {@link JobGetRoutes}').
 */
@Path("/v1/videos")
public class VideosResource {

    private static final int DEFAULT_PAGE = 20;
    private static final int MAX_PAGE = 100;

    private final ModelCatalog catalog;
    private final JobService jobs;
    private final ObjectMapper json;
    private final JsonBodies bodies;

    public VideosResource(ModelCatalog catalog, JobService jobs, ObjectMapper json, JsonBodies bodies) {
        this.catalog = catalog;
        this.jobs = jobs;
        this.json = json;
        this.bodies = bodies;
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    public Response create(byte[] raw, RoutingContext rc) throws JsonProcessingException {
        return queue(bodies.read(raw, VideoRequest.class), raw, rc);
    }

    /** The OpenAI SDKs' form: the same fields as text parts, {@code input_reference} as a file. */
    @POST
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    @Produces(MediaType.APPLICATION_JSON)
    public Response createFromForm(MultipartFormDataInput form, RoutingContext rc) throws JsonProcessingException {
        ApiEdge.bodyRead(rc);
        byte[] body = json.writeValueAsBytes(JobForm.toJson(json, form, VideoRequest.class));
        return queue(bodies.read(body, VideoRequest.class), body, rc);
    }

    private Response queue(VideoRequest request, byte[] body, RoutingContext rc) {
        if (request != null) {
            ApiEdge.recordModel(rc, request.model()); // as asked for, also when the request is refused (spec §6.2)
        }
        if (request == null || isEmpty(request.prompt())) {
            throw ApiException.invalidRequest("prompt/input is required");
        }
        if (isEmpty(request.model())) {
            throw ApiException.invalidRequest("model is required");
        }
        GenerationModel<VideoRequest> model = catalog.forVideo(request.model())
                .orElseThrow(() -> ApiException.modelNotFound("unknown video model: " + request.model()));
        ObjectNode upstream = model.map(request);
        ObjectNode echo = json.createObjectNode();
        echo.put("prompt", request.prompt());
        VideoShape.of(model.id(), request.size(), upstream).into(echo);
        return jobs.create(rc, JobKind.VIDEO, model.id(), model.vendorPath(), upstream, echo, body);
    }

    /**
     * OpenAI's cursor-paged list of the caller's videos: {@code limit} 1–100 (20), {@code order} {@code asc} or
     * {@code desc} (newest first), {@code after} the last id of the previous page, which may name a job deleted since
     * (for a day).
     */
    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Response list(@QueryParam("after") String after, @QueryParam("limit") String limit,
            @QueryParam("order") String order, RoutingContext rc) {
        int size = pageSize(limit);
        if (order != null && !order.equals("asc") && !order.equals("desc")) {
            throw ApiException.invalidRequest("order must be asc or desc");
        }
        Optional<JobCursor> cursor = isEmpty(after) ? Optional.empty()
                : Optional.of(jobs.cursor(rc, JobKind.VIDEO, after));
        JobStore.Page page = jobs.guarded(() -> jobs.page(rc, JobKind.VIDEO, cursor, "asc".equals(order), size));
        List<JobView> shown = page.jobs();
        JsonFactory factory = json.getFactory();
        byte[] body = JobViews.json(factory, out -> {
            out.writeStartObject();
            out.writeStringField("object", "list");
            out.writeArrayFieldStart("data");
            for (JobView job : shown) {
                JobViews.write(factory, out, job);
            }
            out.writeEndArray();
            out.writeBooleanField("has_more", page.more());
            out.writeStringField("first_id", shown.isEmpty() ? null : shown.get(0).id());
            out.writeStringField("last_id", shown.isEmpty() ? null : shown.get(shown.size() - 1).id());
            out.writeEndObject();
        });
        return Response.ok(body, MediaType.APPLICATION_JSON).build();
    }

    /**
     * Deletes the job record (an upstream task already running is not cancelled); its place in the list is kept for a
     * day, so that a page after it can still be asked for. A second DELETE of the same job is a 404.
     */
    @DELETE
    @Path("{id}")
    @Produces(MediaType.APPLICATION_JSON)
    public Response delete(@PathParam("id") String id, RoutingContext rc) {
        JobView job = jobs.visible(rc, JobKind.VIDEO, id);
        jobs.delete(job);
        ObjectNode out = json.createObjectNode();
        out.put("id", id);
        out.put("object", "video.deleted");
        out.put("deleted", true);
        return Response.ok(out.toString(), MediaType.APPLICATION_JSON).build();
    }

    private static int pageSize(String limit) {
        if (isEmpty(limit)) {
            return DEFAULT_PAGE;
        }
        try {
            int n = Integer.parseInt(limit.trim());
            if (n >= 1 && n <= MAX_PAGE) {
                return n;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw ApiException.invalidRequest("limit must be an integer from 1 to " + MAX_PAGE);
    }
}
