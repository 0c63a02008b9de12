package dev.cli2api.catalog;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The body of {@code POST /v1/images/edits}, read from JSON or built by the multipart route; a {@code null}
 * component means the field was not sent.
 */
public record EditRequest(
        @JsonProperty("model") String model,
        @JsonProperty("prompt") String prompt,
        @JsonProperty("images") List<String> images,
        @JsonProperty("image") String image,
        @JsonProperty("mask") String mask,
        @JsonProperty("size") String size,
        @JsonProperty("aspect_ratio") String aspectRatio,
        @JsonProperty("resolution") String resolution,
        @JsonProperty("n") Integer n,
        @JsonProperty("format") String format,
        @JsonProperty("quality") String quality,
        @JsonProperty("seed") Long seed,
        @JsonProperty("negative_prompt") String negativePrompt,
        @JsonProperty("extra") ObjectNode extra) {

    /** The images to edit: {@code image} first when non-empty, then every entry of {@code images} in order. */
    public List<String> combinedImages() {
        List<String> combined = new ArrayList<>();
        if (image != null && !image.isEmpty()) {
            combined.add(image);
        }
        if (images != null) {
            // a JSON null inside the array is Go's zero string
            images.forEach(entry -> combined.add(entry == null ? "" : entry));
        }
        return combined;
    }
}
