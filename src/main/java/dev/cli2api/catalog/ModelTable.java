package dev.cli2api.catalog;

import java.util.List;
import java.util.Map;
import java.util.function.Function;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** The reference registry as literal tables, in the specification's order: 61 generation models and 15 chat ids. */
final class ModelTable {

    static final List<GenerationModel<ImageRequest>> IMAGES = List.of(
            image("midjourney", "midjourney", "/vendors/midjourney/v1/tob/diffusion", ImageMappers::midjourney),
            image("wan2.6-t2i", "alibaba", "/vendors/alibaba/v1/wan2.6-t2i/generation", ImageMappers::wan),
            image("wan2.6-image", "alibaba", "/vendors/alibaba/v1/wan2.6-image/generation", ImageMappers::wan),
            image("wan2.5-t2i-preview", "alibaba", "/vendors/alibaba/v1/wan2.5-t2i-preview/generation",
                    ImageMappers::wan),
            image("wan2.5-i2i-preview", "alibaba", "/vendors/alibaba/v1/wan2.5-i2i-preview/generation",
                    ImageMappers::wan),
            image("gpt-image-2", "openai", "/vendors/openai/v1/gpt-image-2/generation", ImageMappers::gptImage),
            image("nano-banana", "google", "/vendors/google/v1/nano-banana/generation",
                    ImageMappers.nanoBanana(false, false)),
            image("nano-banana-pro", "google", "/vendors/google/v1/nano-banana-pro/generation",
                    ImageMappers.nanoBanana(true, false)),
            image("nano-banana-2", "google", "/vendors/google/v1/nano-banana-2/generation",
                    ImageMappers.nanoBanana(true, true)));

    static final List<GenerationModel<EditRequest>> EDITS = List.of(
            edit("gpt-image-2-edit", "openai", "/vendors/openai/v1/gpt-image-2/edit", EditMappers::gptImage),
            edit("nano-banana-edit", "google", "/vendors/google/v1/nano-banana/edit", EditMappers.nanoBanana(false)),
            edit("nano-banana-pro-edit", "google", "/vendors/google/v1/nano-banana-pro/edit",
                    EditMappers.nanoBanana(true)),
            edit("nano-banana-2-edit", "google", "/vendors/google/v1/nano-banana-2/edit", EditMappers.nanoBanana(true)),
            // same vendor path as the generation model
            edit("wan2.5-i2i-preview-edit", "alibaba", "/vendors/alibaba/v1/wan2.5-i2i-preview/generation",
                    EditMappers::wan));

    static final List<GenerationModel<AudioRequest>> AUDIO = List.of(
            audio("speech-2.8-hd", "/vendors/minimax/v1/speech-2.8-hd/text-to-speech/generation"),
            audio("speech-2.8-turbo", "/vendors/minimax/v1/speech-2.8-turbo/text-to-speech/generation"),
            audio("music-2.0", "/vendors/minimax/v1/music-2.0/text-to-music/generation"),
            audio("music-2.5", "/vendors/minimax/v1/music-2.5/text-to-music/generation"));

    static final List<GenerationModel<VideoRequest>> VIDEOS = List.of(
            video("sora", "openai", "/vendors/openai/v1/sora/generation", VideoMappers::sora),
            video("sora-2", "openai", "/vendors/openai/v1/sora-2/generation", VideoMappers::sora),
            video("sora-2-pro", "openai", "/vendors/openai/v1/sora-2-pro/generation", VideoMappers::sora),
            video("veo3", "google", "/vendors/google/v1/veo3/generation", VideoMappers::veo),
            video("veo-3.0", "google", "/vendors/google/v1/veo-3.0/generation", VideoMappers::veo),
            video("veo-3.1", "google", "/vendors/google/v1/veo-3.1/generation", VideoMappers::veo),
            video("veo-3.1-fast", "google", "/vendors/google/v1/veo-3.1-fast/generation", VideoMappers::veo),
            video("veo", "google", "/vendors/google/v1/veo/generation", VideoMappers::veoAggregate),
            video("midjourney-video", "midjourney", "/vendors/midjourney/v1/tob/video-diffusion",
                    VideoMappers::midjourney),
            kling("kling-v2.1-master-text-to-video", "kling-v2.1-master/text-to-video/generation",
                    VideoMappers::klingV2TextToVideo),
            kling("kling-v2.1-master-image-to-video", "kling-v2.1-master/image-to-video/generation",
                    VideoMappers::klingV2ImageToVideo),
            kling("kling-v2.5-turbo-text-to-video", "kling-v2.5-turbo/text-to-video/generation",
                    VideoMappers::klingV2TextToVideo),
            kling("kling-v2.5-turbo-image-to-video", "kling-v2.5-turbo/image-to-video/generation",
                    VideoMappers::klingV2ImageToVideo),
            kling("kling-v2.6-text-to-video", "kling-v2.6/text-to-video/generation", VideoMappers::klingV2TextToVideo),
            kling("kling-v2.6-image-to-video", "kling-v2.6/image-to-video/generation",
                    VideoMappers::klingV2ImageToVideo),
            kling("kling-v3-text-to-video", "kling-v3/text-to-video/generation", VideoMappers::klingV3TextToVideo),
            kling("kling-v3-image-to-video", "kling-v3/image-to-video/generation", VideoMappers::klingV3ImageToVideo),
            kling("kling-v3-omni-text-to-video", "kling-v3-omni/text-to-video/generation",
                    VideoMappers::omniTextToVideo),
            kling("kling-v3-omni-image-to-video", "kling-v3-omni/image-to-video/generation",
                    VideoMappers::omniImageToVideo),
            kling("kling-v3-omni-reference-image-to-video", "kling-v3-omni/reference-image-to-video/generation",
                    VideoMappers::omniReferenceImageToVideo),
            kling("kling-v3-omni-reference-video-to-video", "kling-v3-omni/reference-video-to-video/generation",
                    VideoMappers::omniReferenceVideoToVideo),
            kling("kling-v3-omni-video-to-video-edit", "kling-v3-omni/video-to-video/edit",
                    VideoMappers::omniVideoToVideoEdit),
            video("seedance-2.0-text-to-video", "bytedance",
                    "/vendors/bytedance/v1/seedance-2.0/text-to-video/generation", VideoMappers::seedanceTextToVideo),
            video("seedance-2.0-image-to-video", "bytedance",
                    "/vendors/bytedance/v1/seedance-2.0/image-to-video/generation", VideoMappers::seedanceImageToVideo),
            video("seedance-2.0-reference-to-video", "bytedance",
                    "/vendors/bytedance/v1/seedance-2.0/reference-to-video/generation",
                    VideoMappers::seedanceReferenceToVideo),
            video("seedance-2.0-fast-text-to-video", "bytedance",
                    "/vendors/bytedance/v1/seedance-2.0-fast/text-to-video/generation",
                    VideoMappers::seedanceTextToVideo),
            video("seedance-2.0-fast-image-to-video", "bytedance",
                    "/vendors/bytedance/v1/seedance-2.0-fast/image-to-video/generation",
                    VideoMappers::seedanceImageToVideo),
            video("seedance-2.0-fast-reference-to-video", "bytedance",
                    "/vendors/bytedance/v1/seedance-2.0-fast/reference-to-video/generation",
                    VideoMappers::seedanceReferenceToVideo),
            wan("alibaba", "wan2.6-t2v"),
            wan("alibaba", "wan2.6-i2v"),
            wan("alibaba", "wan2.5-t2v-preview"),
            wan("alibaba", "wan2.5-i2v-preview"),
            wan("alibaba", "wan2.2-t2v-plus"),
            wan("alibaba", "wan2.2-i2v-plus"),
            wan("alibaba", "wan2.2-i2v-flash"),
            wan("alibaba", "wan2.1-vace-plus"),
            wan("alibaba", "wan2.1-kf2v-plus"),
            wan("mulerouter", "wan2.5-t2v-spark"),
            wan("mulerouter", "wan2.5-i2v-spark"),
            wan("mulerouter", "wan2.6-t2v-spark"),
            wan("mulerouter", "wan2.6-i2v-spark"),
            video("happy-horse-1-0-t2v", "alibaba", "/vendors/alibaba/v1/happy-horse-1-0-t2v/generation",
                    VideoMappers::happyHorseTextToVideo),
            video("happy-horse-1-0-i2v", "alibaba", "/vendors/alibaba/v1/happy-horse-1-0-i2v/generation",
                    VideoMappers::happyHorseImageToVideo));

    /** Advertised chat ids: not in the registry, never validated, listed after the generation models. */
    static final List<ListedModel> CHAT = List.of(
            ListedModel.of("gpt-5", "openai"),
            ListedModel.of("gpt-5-mini", "openai"),
            ListedModel.of("gpt-5-nano", "openai"),
            ListedModel.of("gpt-4.1", "openai"),
            ListedModel.of("gpt-4.1-mini", "openai"),
            ListedModel.of("o4-mini", "openai"),
            ListedModel.of("deepseek-v4-flash", "deepseek"),
            ListedModel.of("deepseek-v4-pro", "deepseek"),
            ListedModel.of("claude-sonnet-4-6", "anthropic"),
            ListedModel.of("claude-haiku-4-5", "anthropic"),
            ListedModel.of("claude-opus-4-7", "anthropic"),
            ListedModel.of("openai/gpt-5.5", "openai"),
            ListedModel.of("openai/gpt-5.4-mini", "openai"),
            ListedModel.of("openai/gpt-5.4-nano", "openai"),
            ListedModel.of("openai/gpt-5.3-codex", "openai"));

    /** The chat vendor map: a {@code <vendor>/} model prefix routes chat to this upstream path. */
    static final Map<String, String> CHAT_VENDOR_PATHS = Map.of("openai", "/vendors/openai/v1/chat/completions");

    private ModelTable() {
    }

    private static GenerationModel<ImageRequest> image(String id, String vendor, String path,
            Function<ImageRequest, ObjectNode> mapper) {
        return new GenerationModel<>(id, vendor, Surface.IMAGE_GENERATION, path, mapper);
    }

    private static GenerationModel<EditRequest> edit(String id, String vendor, String path,
            Function<EditRequest, ObjectNode> mapper) {
        return new GenerationModel<>(id, vendor, Surface.IMAGE_EDIT, path, mapper);
    }

    /** A MiniMax audio model: music iff the id starts with {@code music}, otherwise speech. */
    private static GenerationModel<AudioRequest> audio(String id, String path) {
        return ModelCatalog.isMusic(id)
                ? new GenerationModel<>(id, "minimax", Surface.MUSIC, path, AudioMappers::music)
                : new GenerationModel<>(id, "minimax", Surface.SPEECH, path, AudioMappers::speech);
    }

    private static GenerationModel<VideoRequest> video(String id, String vendor, String path,
            Function<VideoRequest, ObjectNode> mapper) {
        return new GenerationModel<>(id, vendor, Surface.VIDEO, path, mapper);
    }

    private static GenerationModel<VideoRequest> kling(String id, String pathAfterVendor,
            Function<VideoRequest, ObjectNode> mapper) {
        return video(id, "klingai", "/vendors/klingai/v1/" + pathAfterVendor, mapper);
    }

    /** A WAN-VID model, served at {@code /vendors/<vendor>/v1/<id>/generation}. */
    private static GenerationModel<VideoRequest> wan(String vendor, String id) {
        return video(id, vendor, "/vendors/" + vendor + "/v1/" + id + "/generation", VideoMappers::wan);
    }
}
