package dev.cli2api.catalog;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The JSON body of {@code POST /v1/images/generations}; a {@code null} component means the field was not sent.
 */
public record ImageRequest(
        @JsonProperty("model") String model,
        @JsonProperty("prompt") String prompt,
        @JsonProperty("negative_prompt") String negativePrompt,
        @JsonProperty("n") Integer n,
        @JsonProperty("size") String size,
        @JsonProperty("aspect_ratio") String aspectRatio,
        @JsonProperty("resolution") String resolution,
        @JsonProperty("quality") String quality,
        @JsonProperty("format") String format,
        @JsonProperty("web_search") Boolean webSearch,
        @JsonProperty("seed") Long seed,
        @JsonProperty("image") String image,
        @JsonProperty("extra") ObjectNode extra) {
}
