package dev.cli2api.jobs;

import java.util.List;
import java.util.Map;

import org.jboss.resteasy.reactive.RestMulti;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.cli2api.api.ApiException;
import dev.cli2api.generation.AssetFetcher;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
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
    private final AssetFetcher downloads;

    public VideoContentResource(JobService jobs, ObjectMapper json, AssetFetcher downloads) {
        this.jobs = jobs;
        this.json = json;
        this.downloads = downloads;
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
        // the speech download's client: a bounded wait for the CDN, its error answers drained, a result URL that is
        // not one (s3://…) a 502 like any failed download (it was a 500 thrown before the download began)
        Uni<HttpClientResponse> response = downloads.open(url).onFailure(AssetFetcher.FetchException.class)
                .transform(f -> ApiException.upstream("video download: " + f.getMessage()));
        return RestMulti.fromUniResponse(response, answer -> AssetFetcher.relayed(answer, rc),
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
