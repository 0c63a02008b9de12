package dev.cli2api.catalog;

import java.util.function.Function;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The upstream body mappers of the image edit models; {@code images} is always the combined list and only
 * gpt-image-2-edit forwards {@code mask}.
 */
final class EditMappers {

    private EditMappers() {
    }

    private static UpstreamBody promptAndImages(EditRequest request) {
        return UpstreamBody.withPrompt(request.prompt()).strings("images", request.combinedImages());
    }

    /** gpt-image-2-edit: {@code quality} is not forwarded. */
    static ObjectNode gptImage(EditRequest request) {
        return promptAndImages(request)
                .text("mask", request.mask())
                .text("size", request.size())
                .text("format", request.format())
                .positive("n", request.n())
                .finish(request.extra());
    }

    /** The nano-banana edits: {@code resolution} only for pro and 2, never {@code web_search}. */
    static Function<EditRequest, ObjectNode> nanoBanana(boolean resolution) {
        return request -> {
            UpstreamBody body = promptAndImages(request).text("aspect_ratio", request.aspectRatio());
            if (resolution) {
                body.text("resolution", request.resolution());
            }
            return body.finish(request.extra());
        };
    }

    /** wan2.5-i2i-preview-edit. */
    static ObjectNode wan(EditRequest request) {
        return promptAndImages(request)
                .text("negative_prompt", request.negativePrompt())
                .wanSize("size", request.size())
                .positive("n", request.n())
                .number("seed", request.seed())
                .finish(request.extra());
    }
}
