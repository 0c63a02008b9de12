package dev.cli2api.jobs;

import java.util.List;
import java.util.Map;

import org.jboss.resteasy.reactive.RestMulti;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.cli2api.api.ApiException;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.ext.web.RoutingContext;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.core.http.HttpClient;
import io.vertx.mutiny.core.http.HttpClientResponse;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;

/**
 * {@code GET /v1/videos/{id}/content}: streams a completed job's video from its result URL as it arrives (OpenAI's
 * {@code videos.downloadContent}); only {@code variant=video} exists here.
 */
@Path("/v1/videos/{id}/content")
public class VideoContentResource {

    private final JobService jobs;
    private final ObjectMapper json;
    private final HttpClient downloads;

    public VideoContentResource(JobService jobs, ObjectMapper json, Vertx vertx) {
        this.jobs = jobs;
        this.json = json;
        this.downloads = vertx.createHttpClient();
    }

    @GET
    @Blocking
    public RestMulti<byte[]> content(@PathParam("id") String id, @QueryParam("variant") String variant,
            RoutingContext rc) {
        if (variant != null && !variant.equals("video")) {
            throw ApiException.invalidRequest("unsupported variant: " + variant + " (only video is available)");
        }
        JobView job = jobs.visible(rc, JobKind.VIDEO, id);
        if (!job.status().equals("completed")) {
            throw ApiException.invalidRequest("video is not ready: status " + job.status());
        }
        String url = firstUrl(job);
        Uni<HttpClientResponse> response = downloads.request(new RequestOptions().setMethod(HttpMethod.GET)
                .setAbsoluteURI(url))
                .flatMap(request -> request.send())
                .onItem().transform(answer -> {
                    if (answer.statusCode() >= 400) {
                        throw ApiException.upstream("video download: upstream " + answer.statusCode());
                    }
                    return answer;
                })
                .onFailure(f -> !(f instanceof ApiException))
                .transform(f -> ApiException.upstream("video download: " + f.getMessage()));
        return RestMulti.fromUniResponse(response, answer -> answer.toMulti().map(Buffer::getBytes),
                answer -> Map.of("Content-Type", List.of(contentType(answer))));
    }

    private String firstUrl(JobView job) {
        try {
            JsonNode urls = json.readTree(job.resultUrls());
            if (urls.isArray() && !urls.isEmpty() && !urls.get(0).asText().isEmpty()) {
                return urls.get(0).asText();
            }
        } catch (Exception e) {
            // answered below
        }
        throw ApiException.upstream("upstream returned no video");
    }

    private static String contentType(HttpClientResponse answer) {
        String type = answer.getHeader("Content-Type");
        return type == null || type.isEmpty() || type.startsWith("application/octet-stream") ? "video/mp4" : type;
    }
}
