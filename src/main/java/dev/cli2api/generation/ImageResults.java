package dev.cli2api.generation;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.cli2api.api.ApiException;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** Turns a completed image task into the OpenAI images answer {@code {"created":…,"data":[…]}}, URLs or base64. */
final class ImageResults {

    private ImageResults() {
    }

    /** The asset URLs of a completed task: {@code images}, or {@code videos} when allowed and images are empty. */
    static List<String> urls(JsonNode task, boolean videosFallback) {
        List<String> urls = texts(task.path("images"));
        return urls.isEmpty() && videosFallback ? texts(task.path("videos")) : urls;
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(item -> out.add(item.asText("")));
        return out;
    }

    /** The answer for {@code urls}: each image downloaded as {@code b64_json} when {@code base64}, else its URL. */
    static Uni<Response> answer(List<String> urls, boolean base64, AssetFetcher fetcher) {
        return base64 ? withBase64(urls, fetcher) : Uni.createFrom().item(withUrls(urls));
    }

    /** The answer listing {@code urls} as {@code {"url":…}} items. */
    static Response withUrls(List<String> urls) {
        ObjectNode body = envelope();
        urls.forEach(url -> body.withArray("data").addObject().put("url", url));
        return ok(body);
    }

    /** The answer carrying each image downloaded and base64-encoded as {@code {"b64_json":…}} items. */
    static Uni<Response> withBase64(List<String> urls, AssetFetcher fetcher) {
        if (urls.isEmpty()) {
            return Uni.createFrom().item(withUrls(urls));
        }
        List<Uni<byte[]>> downloads = urls.stream().map(url -> fetcher.bytes(url)
                .onFailure(AssetFetcher.FetchException.class)
                // the images are made and paid for: a retry would make and pay for others
                .transform(e -> ApiException.upstream("image download: " + e.getMessage()).notWorthRetrying()))
                .toList();
        return Uni.join().all(downloads).andFailFast().map(images -> {
            ObjectNode body = envelope();
            images.forEach(bytes -> body.withArray("data").addObject()
                    .put("b64_json", Base64.getEncoder().encodeToString(bytes)));
            return ok(body);
        });
    }

    private static ObjectNode envelope() {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("created", Instant.now().getEpochSecond());
        body.putArray("data");
        return body;
    }

    private static Response ok(ObjectNode body) {
        return Response.ok(body.toString(), MediaType.APPLICATION_JSON_TYPE).build();
    }
}
