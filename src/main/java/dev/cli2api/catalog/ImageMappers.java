package dev.cli2api.catalog;

import java.util.function.Function;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** The upstream body mappers of the image generation families (MJ, WAN-IMG, GPT-IMG, NB). */
final class ImageMappers {

    private ImageMappers() {
    }

    /** MJ: the prompt alone. */
    static ObjectNode midjourney(ImageRequest request) {
        return UpstreamBody.withPrompt(request.prompt()).finish(request.extra());
    }

    /** WAN-IMG. */
    static ObjectNode wan(ImageRequest request) {
        return UpstreamBody.withPrompt(request.prompt())
                .text("negative_prompt", request.negativePrompt())
                .wanSize("size", request.size())
                .positive("n", request.n())
                .number("seed", request.seed())
                .text("image", request.image())
                .finish(request.extra());
    }

    /** GPT-IMG: {@code size} is forwarded unchanged. */
    static ObjectNode gptImage(ImageRequest request) {
        return UpstreamBody.withPrompt(request.prompt())
                .text("quality", request.quality())
                .text("size", request.size())
                .text("format", request.format())
                .positive("n", request.n())
                .finish(request.extra());
    }

    /** NB: {@code resolution} only for the models that take it, {@code web_search} only for nano-banana-2. */
    static Function<ImageRequest, ObjectNode> nanoBanana(boolean resolution, boolean webSearch) {
        return request -> {
            UpstreamBody body = UpstreamBody.withPrompt(request.prompt()).text("aspect_ratio", request.aspectRatio());
            if (resolution) {
                body.text("resolution", request.resolution());
            }
            if (webSearch) {
                body.flag("web_search", request.webSearch());
            }
            return body.finish(request.extra());
        };
    }
}
