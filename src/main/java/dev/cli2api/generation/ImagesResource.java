package dev.cli2api.generation;

import static dev.cli2api.api.JsonBodies.isEmpty;

import org.jboss.resteasy.reactive.server.Cancellable;
import org.jboss.resteasy.reactive.server.multipart.MultipartFormDataInput;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.cli2api.api.ApiEdge;
import dev.cli2api.api.ApiException;
import dev.cli2api.api.JsonBodies;
import dev.cli2api.catalog.EditRequest;
import dev.cli2api.catalog.GenerationModel;
import dev.cli2api.catalog.ImageRequest;
import dev.cli2api.catalog.ModelCatalog;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * {@code POST /v1/images/generations} and {@code POST /v1/images/edits} (JSON or multipart): validate in the spec's
 * order, submit the mapped job, wait for it without holding a thread, answer with the image URLs (or base64).
 */
@Path("/v1/images")
public class ImagesResource {

    private final ModelCatalog catalog;
    private final JsonBodies bodies;
    private final SubmitAndWait waiter;
    private final AssetFetcher fetcher;

    public ImagesResource(ModelCatalog catalog, JsonBodies bodies, SubmitAndWait waiter, AssetFetcher fetcher) {
        this.catalog = catalog;
        this.bodies = bodies;
        this.waiter = waiter;
        this.fetcher = fetcher;
    }

    @POST
    @Path("/generations")
    @Consumes(MediaType.WILDCARD)
    @Cancellable
    public Uni<Response> generate(byte[] body, RoutingContext rc) throws JsonProcessingException {
        ObjectNode tree = bodies.tree(body);
        ImageRequest request = bodies.bind(tree, ImageRequest.class);
        ApiEdge.recordModel(rc, request.model()); // as asked for, also when the request is refused (spec §6.2)
        if (isEmpty(request.prompt())) {
            throw ApiException.invalidRequest("prompt is required");
        }
        if (isEmpty(request.model())) {
            throw ApiException.invalidRequest("model is required");
        }
        GenerationModel<ImageRequest> model = catalog.forImageGeneration(request.model())
                .orElseThrow(() -> ApiException.modelNotFound("unknown image model: " + request.model()));
        boolean base64 = base64(tree.path("response_format").asText(""));
        return waiter.run(model.vendorPath(), model.map(request))
                .flatMap(task -> ImageResults.answer(ImageResults.urls(task, true), base64, fetcher));
    }

    @POST
    @Path("/edits")
    @Consumes(MediaType.WILDCARD)
    @Cancellable
    public Uni<Response> editJson(byte[] body, RoutingContext rc) throws JsonProcessingException {
        ObjectNode tree = bodies.tree(body);
        return edit(bodies.bind(tree, EditRequest.class), base64(tree.path("response_format").asText("")), rc);
    }

    @POST
    @Path("/edits")
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    @Cancellable
    @Blocking
    public Uni<Response> editMultipart(MultipartFormDataInput form, RoutingContext rc) {
        ApiEdge.bodyRead(rc);
        return edit(MultipartEdits.read(form), base64(MultipartEdits.text(form, "response_format")), rc);
    }

    /**
     * Whether the answer carries each image downloaded as {@code b64_json} instead of its URL: as generations do (DESIGN
     * decision 4: gpt-image clients expect it), also for edits, which answered URLs whatever was asked.
     */
    private static boolean base64(String responseFormat) {
        return "b64_json".equals(responseFormat);
    }

    private Uni<Response> edit(EditRequest request, boolean base64, RoutingContext rc) {
        ApiEdge.recordModel(rc, request.model()); // as asked for, also when the request is refused (spec §6.2)
        if (isEmpty(request.model())) {
            throw ApiException.invalidRequest("model is required");
        }
        if (isEmpty(request.prompt())) {
            throw ApiException.invalidRequest("prompt is required");
        }
        if (request.combinedImages().isEmpty()) {
            throw ApiException.invalidRequest("image is required");
        }
        GenerationModel<EditRequest> model = catalog.forImageEdit(request.model())
                .orElseThrow(() -> ApiException.modelNotFound("unknown edit model: " + request.model()));
        return waiter.run(model.vendorPath(), model.map(request))
                .flatMap(task -> ImageResults.answer(ImageResults.urls(task, false), base64, fetcher));
    }
}
