package dev.cli2api.jobs;

import static dev.cli2api.api.JsonBodies.isEmpty;

import org.jboss.resteasy.reactive.server.multipart.MultipartFormDataInput;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.cli2api.api.ApiEdge;
import dev.cli2api.api.ApiException;
import dev.cli2api.api.JsonBodies;
import dev.cli2api.catalog.AudioRequest;
import dev.cli2api.catalog.GenerationModel;
import dev.cli2api.catalog.ModelCatalog;
import io.vertx.ext.web.RoutingContext;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** {@code POST /v1/audio/music} queues a durable music job (202); {@link JobGetRoutes} answers its GET. */
@Path("/v1/audio/music")
public class MusicResource {

    private final ModelCatalog catalog;
    private final JobService jobs;
    private final ObjectMapper json;
    private final JsonBodies bodies;

    public MusicResource(ModelCatalog catalog, JobService jobs, ObjectMapper json, JsonBodies bodies) {
        this.catalog = catalog;
        this.jobs = jobs;
        this.json = json;
        this.bodies = bodies;
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    public Response create(byte[] raw, RoutingContext rc) throws JsonProcessingException {
        return queue(raw, rc);
    }

    /** The same fields as form parts (as an OpenAI-style SDK sends multipart), numbers and flags as text. */
    @POST
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    @Produces(MediaType.APPLICATION_JSON)
    public Response createFromForm(MultipartFormDataInput form, RoutingContext rc) throws JsonProcessingException {
        ApiEdge.bodyRead(rc);
        return queue(json.writeValueAsBytes(JobForm.toJson(json, form, AudioRequest.class)), rc);
    }

    private Response queue(byte[] body, RoutingContext rc) throws JsonProcessingException {
        AudioRequest request = bodies.read(body, AudioRequest.class);
        if (request != null) {
            ApiEdge.recordModel(rc, request.model()); // as asked for, also when the request is refused (spec §6.2)
        }
        String prompt = request == null ? null
                : isEmpty(request.prompt()) ? request.input() : request.prompt();
        if (isEmpty(prompt)) {
            throw ApiException.invalidRequest("prompt/input is required");
        }
        if (isEmpty(request.model())) {
            throw ApiException.invalidRequest("model is required");
        }
        GenerationModel<AudioRequest> model = catalog.forMusic(request.model())
                .orElseThrow(() -> ApiException.modelNotFound("unknown music model: " + request.model()));
        return jobs.create(rc, JobKind.MUSIC, model.id(), model.vendorPath(), model.map(request),
                json.createObjectNode(), body);
    }

}
