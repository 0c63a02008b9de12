package dev.cli2api.catalog;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The JSON body of {@code POST /v1/videos}; {@code seconds} and {@code multi_shot} are strings, {@code duration} an
 * integer, and a {@code null} component means the field was not sent.
 */
public record VideoRequest(
        @JsonProperty("model") String model,
        @JsonProperty("prompt") String prompt,
        @JsonProperty("negative_prompt") String negativePrompt,
        @JsonProperty("size") String size,
        @JsonProperty("aspect_ratio") String aspectRatio,
        @JsonProperty("resolution") String resolution,
        @JsonProperty("seconds") String seconds,
        @JsonProperty("duration") Integer duration,
        @JsonProperty("image") String image,
        @JsonProperty("input_reference") String inputReference,
        @JsonProperty("mode") String mode,
        @JsonProperty("generate_audio") Boolean generateAudio,
        @JsonProperty("first_frame") String firstFrame,
        @JsonProperty("last_frame") String lastFrame,
        @JsonProperty("video") String video,
        @JsonProperty("keep_audio") Boolean keepAudio,
        @JsonProperty("multi_prompt") ArrayNode multiPrompt,
        @JsonProperty("multi_shot") String multiShot,
        @JsonProperty("shot_type") String shotType,
        @JsonProperty("elements") ArrayNode elements,
        @JsonProperty("images") List<String> images,
        @JsonProperty("reference_images") List<String> referenceImages,
        @JsonProperty("sound") String sound,
        @JsonProperty("seed") Long seed,
        @JsonProperty("extra") ObjectNode extra) {
}
