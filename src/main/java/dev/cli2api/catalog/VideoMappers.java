package dev.cli2api.catalog;

import static dev.cli2api.catalog.UpstreamBody.firstSet;

import java.util.List;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** The upstream body mappers of the video families: Sora, Veo, Midjourney, Kling, Seedance, Wan, happy-horse. */
final class VideoMappers {

    /** Keys the omni video-to-video edit never sends, not even through {@code extra}. */
    private static final List<String> OMNI_EDIT_DROPPED = List.of("aspect_ratio", "duration", "multi_shot",
            "shot_type", "multi_prompt", "sound");

    private VideoMappers() {
    }

    /** SORA: {@code input_reference} falls back to {@code image}; {@code duration} is ignored. */
    static ObjectNode sora(VideoRequest request) {
        return UpstreamBody.withPrompt(request.prompt())
                .text("seconds", request.seconds())
                .text("size", request.size())
                .text("input_reference", firstSet(request.inputReference(), request.image()))
                .finish(request.extra());
    }

    /** VEO. */
    static ObjectNode veo(VideoRequest request) {
        return veoBody(request, request.image(), request.referenceImages()).finish(request.extra());
    }

    /**
     * VEO-AGG: {@code image} falls back to {@code first_frame}, {@code reference_images} to {@code images}, and the
     * upstream {@code model} defaults to {@code veo-3.1} unless {@code extra} has a {@code model} key.
     */
    static ObjectNode veoAggregate(VideoRequest request) {
        UpstreamBody body = veoBody(request, firstSet(request.image(), request.firstFrame()),
                firstSet(request.referenceImages(), request.images()));
        if (request.extra() == null || !request.extra().has("model")) {
            body.always("model", "veo-3.1");
        }
        return body.finish(request.extra());
    }

    private static UpstreamBody veoBody(VideoRequest request, String image, List<String> referenceImages) {
        return UpstreamBody.withPrompt(request.prompt())
                .text("negative_prompt", request.negativePrompt())
                .text("image", image)
                .text("last_frame", request.lastFrame())
                .strings("reference_images", referenceImages)
                .text("aspect_ratio", request.aspectRatio())
                .text("resolution", request.resolution())
                .number("duration", request.duration());
    }

    /** midjourney-video: the prompt alone. */
    static ObjectNode midjourney(VideoRequest request) {
        return UpstreamBody.withPrompt(request.prompt()).finish(request.extra());
    }

    /** K2-T2V. */
    static ObjectNode klingV2TextToVideo(VideoRequest request) {
        return klingV2(UpstreamBody.withPrompt(request.prompt()).text("aspect_ratio", request.aspectRatio()), request);
    }

    /** K2-I2V: {@code image} always, {@code prompt} only if set, {@code last_frame} sent as {@code image_tail}. */
    static ObjectNode klingV2ImageToVideo(VideoRequest request) {
        UpstreamBody body = UpstreamBody.create()
                .always("image", request.image())
                .text("prompt", request.prompt())
                .text("image_tail", request.lastFrame());
        return klingV2(body, request);
    }

    private static ObjectNode klingV2(UpstreamBody body, VideoRequest request) {
        return body.text("negative_prompt", request.negativePrompt())
                .text("sound", request.sound())
                .text("mode", request.mode())
                .number("duration", request.duration())
                .finish(request.extra());
    }

    /** K3-T2V. */
    static ObjectNode klingV3TextToVideo(VideoRequest request) {
        return klingV3(request).text("aspect_ratio", request.aspectRatio()).finish(request.extra());
    }

    /** K3-I2V: {@code first_frame} (explicit beats {@code image}), {@code last_frame}, {@code elements}; no aspect ratio. */
    static ObjectNode klingV3ImageToVideo(VideoRequest request) {
        return frames(klingV3(request), request).array("elements", request.elements()).finish(request.extra());
    }

    /** OMNI-T2V: the omni base fields. */
    static ObjectNode omniTextToVideo(VideoRequest request) {
        return omni(request).finish(request.extra());
    }

    /** OMNI-I2V: base plus the frames. */
    static ObjectNode omniImageToVideo(VideoRequest request) {
        return frames(omni(request), request).finish(request.extra());
    }

    /** OMNI-REFIMG: base plus the frames, {@code images} and {@code elements}. */
    static ObjectNode omniReferenceImageToVideo(VideoRequest request) {
        return frames(omni(request), request)
                .strings("images", request.images())
                .array("elements", request.elements())
                .finish(request.extra());
    }

    /** OMNI-REFVID: base plus the source video. */
    static ObjectNode omniReferenceVideoToVideo(VideoRequest request) {
        return omniVideo(request).finish(request.extra());
    }

    /** OMNI-V2V: like OMNI-REFVID, then the edit-incompatible keys are deleted after the {@code extra} merge. */
    static ObjectNode omniVideoToVideoEdit(VideoRequest request) {
        ObjectNode body = omniVideo(request).finish(request.extra());
        body.remove(OMNI_EDIT_DROPPED);
        return body;
    }

    /** The fields Kling v3 and omni share, each only if set. */
    private static UpstreamBody klingV3(VideoRequest request) {
        return UpstreamBody.create()
                .text("prompt", request.prompt())
                .text("negative_prompt", request.negativePrompt())
                .text("mode", request.mode())
                .text("multi_shot", request.multiShot())
                .text("shot_type", request.shotType())
                .array("multi_prompt", request.multiPrompt())
                .number("duration", request.duration())
                .text("sound", request.sound());
    }

    private static UpstreamBody omni(VideoRequest request) {
        return klingV3(request).text("aspect_ratio", request.aspectRatio());
    }

    private static UpstreamBody omniVideo(VideoRequest request) {
        return omni(request)
                .text("video", request.video())
                .flag("keep_audio", request.keepAudio())
                .strings("images", request.images())
                .array("elements", request.elements());
    }

    private static UpstreamBody frames(UpstreamBody body, VideoRequest request) {
        return body.text("first_frame", firstSet(request.firstFrame(), request.image()))
                .text("last_frame", request.lastFrame());
    }

    /** SD-T2V. */
    static ObjectNode seedanceTextToVideo(VideoRequest request) {
        return seedance(request).number("seed", request.seed()).finish(request.extra());
    }

    /** SD-I2V: no seed. */
    static ObjectNode seedanceImageToVideo(VideoRequest request) {
        return seedance(request)
                .text("image", request.image())
                .text("last_frame", request.lastFrame())
                .finish(request.extra());
    }

    /** SD-REF. */
    static ObjectNode seedanceReferenceToVideo(VideoRequest request) {
        return seedance(request).strings("reference_images", request.referenceImages()).finish(request.extra());
    }

    private static UpstreamBody seedance(VideoRequest request) {
        return UpstreamBody.withPrompt(request.prompt())
                .text("resolution", request.resolution())
                .text("aspect_ratio", request.aspectRatio())
                .number("duration", request.duration())
                .flag("generate_audio", request.generateAudio());
    }

    /** WAN-VID (Alibaba and MuleRouter spark). */
    static ObjectNode wan(VideoRequest request) {
        return UpstreamBody.withPrompt(request.prompt())
                .text("negative_prompt", request.negativePrompt())
                .wanSize("size", request.size())
                .text("image", request.image())
                .text("last_frame", request.lastFrame())
                .text("aspect_ratio", request.aspectRatio())
                .text("resolution", request.resolution())
                .number("duration", request.duration())
                .number("seed", request.seed())
                .finish(request.extra());
    }

    /** HH-T2V. */
    static ObjectNode happyHorseTextToVideo(VideoRequest request) {
        return happyHorse(UpstreamBody.withPrompt(request.prompt()), request);
    }

    /** HH-I2V: {@code image} falls back to {@code first_frame}; {@code prompt} only if set. */
    static ObjectNode happyHorseImageToVideo(VideoRequest request) {
        UpstreamBody body = UpstreamBody.create()
                .text("image", firstSet(request.image(), request.firstFrame()))
                .text("prompt", request.prompt());
        return happyHorse(body, request);
    }

    private static ObjectNode happyHorse(UpstreamBody body, VideoRequest request) {
        return body.text("resolution", request.resolution())
                .number("duration", request.duration())
                .number("seed", request.seed())
                .finish(request.extra());
    }
}
