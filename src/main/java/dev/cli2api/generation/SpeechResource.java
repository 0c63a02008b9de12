package dev.cli2api.generation;

import static dev.cli2api.api.JsonBodies.isEmpty;

import java.util.List;
import java.util.Map;

import org.jboss.resteasy.reactive.RestMulti;
import org.jboss.resteasy.reactive.server.Cancellable;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

import dev.cli2api.api.ApiEdge;
import dev.cli2api.api.ApiException;
import dev.cli2api.api.JsonBodies;
import dev.cli2api.catalog.AudioRequest;
import dev.cli2api.catalog.GenerationModel;
import dev.cli2api.catalog.ModelCatalog;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import io.vertx.mutiny.core.http.HttpClientResponse;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.MediaType;

/**
 * {@code POST /v1/audio/speech}: validate, run the text-to-speech job, then relay the bytes of the first audio URL
 * as they arrive (chunked, no Content-Length) with a Content-Type chosen from the requested format.
 */
@Path("/v1/audio/speech")
public class SpeechResource {

    private final ModelCatalog catalog;
    private final JsonBodies bodies;
    private final SubmitAndWait waiter;
    private final AssetFetcher fetcher;

    public SpeechResource(ModelCatalog catalog, JsonBodies bodies, SubmitAndWait waiter, AssetFetcher fetcher) {
        this.catalog = catalog;
        this.bodies = bodies;
        this.waiter = waiter;
        this.fetcher = fetcher;
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    @Cancellable
    public RestMulti<byte[]> speech(byte[] body, RoutingContext rc) throws JsonProcessingException {
        AudioRequest request = bodies.read(body, AudioRequest.class);
        ApiEdge.recordModel(rc, request.model()); // as asked for, also when the request is refused (spec §6.2)
        if (isEmpty(request.model())) {
            throw ApiException.invalidRequest("model is required");
        }
        if (isEmpty(request.input()) && isEmpty(request.prompt())) {
            throw ApiException.invalidRequest("input is required");
        }
        GenerationModel<AudioRequest> model = catalog.forSpeech(request.model())
                .orElseThrow(() -> ApiException.modelNotFound("unknown speech model: " + request.model()));
        Uni<HttpClientResponse> audio = waiter.run(model.vendorPath(), model.map(request)).flatMap(this::download);
        String contentType = contentType(request);
        return RestMulti.fromUniResponse(audio, response -> AssetFetcher.relayed(response, rc),
                response -> Map.of("Content-Type", List.of(contentType)));
    }

    private Uni<HttpClientResponse> download(JsonNode task) {
        JsonNode first = task.path("audios").path(0);
        if (!first.isTextual() || first.asText().isEmpty()) {
            return Uni.createFrom().failure(ApiException.upstream("upstream returned no audio").notWorthRetrying());
        }
        // the task is done and paid for: a retry would make and pay for another
        return fetcher.open(first.asText()).onFailure(AssetFetcher.FetchException.class)
                .transform(e -> ApiException.upstream("audio download: " + e.getMessage()).notWorthRetrying());
    }

    /** {@code response_format} first, then {@code audio_format}; mp3 and anything unknown are audio/mpeg. */
    static String contentType(AudioRequest request) {
        String format = !isEmpty(request.responseFormat()) ? request.responseFormat()
                : request.audioFormat() == null ? "" : request.audioFormat();
        return switch (format) {
            case "opus" -> "audio/ogg; codecs=opus";
            case "aac" -> "audio/aac";
            case "flac" -> "audio/flac";
            case "wav" -> "audio/wav";
            case "pcm" -> "audio/pcm";
            default -> "audio/mpeg";
        };
    }
}
