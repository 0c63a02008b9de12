package dev.cli2api.catalog;

import static dev.cli2api.catalog.CatalogFixtures.CATALOG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

class ModelCatalogTest {

    /** The specification's tables §3.1–§3.6 in written order: id, vendor, surface, vendor path. */
    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "0, midjourney, midjourney, IMAGE_GENERATION, /vendors/midjourney/v1/tob/diffusion",
            "1, wan2.6-t2i, alibaba, IMAGE_GENERATION, /vendors/alibaba/v1/wan2.6-t2i/generation",
            "2, wan2.6-image, alibaba, IMAGE_GENERATION, /vendors/alibaba/v1/wan2.6-image/generation",
            "3, wan2.5-t2i-preview, alibaba, IMAGE_GENERATION, /vendors/alibaba/v1/wan2.5-t2i-preview/generation",
            "4, wan2.5-i2i-preview, alibaba, IMAGE_GENERATION, /vendors/alibaba/v1/wan2.5-i2i-preview/generation",
            "5, gpt-image-2, openai, IMAGE_GENERATION, /vendors/openai/v1/gpt-image-2/generation",
            "6, nano-banana, google, IMAGE_GENERATION, /vendors/google/v1/nano-banana/generation",
            "7, nano-banana-pro, google, IMAGE_GENERATION, /vendors/google/v1/nano-banana-pro/generation",
            "8, nano-banana-2, google, IMAGE_GENERATION, /vendors/google/v1/nano-banana-2/generation",
            "9, gpt-image-2-edit, openai, IMAGE_EDIT, /vendors/openai/v1/gpt-image-2/edit",
            "10, nano-banana-edit, google, IMAGE_EDIT, /vendors/google/v1/nano-banana/edit",
            "11, nano-banana-pro-edit, google, IMAGE_EDIT, /vendors/google/v1/nano-banana-pro/edit",
            "12, nano-banana-2-edit, google, IMAGE_EDIT, /vendors/google/v1/nano-banana-2/edit",
            "13, wan2.5-i2i-preview-edit, alibaba, IMAGE_EDIT, /vendors/alibaba/v1/wan2.5-i2i-preview/generation",
            "14, speech-2.8-hd, minimax, SPEECH, /vendors/minimax/v1/speech-2.8-hd/text-to-speech/generation",
            "15, speech-2.8-turbo, minimax, SPEECH, /vendors/minimax/v1/speech-2.8-turbo/text-to-speech/generation",
            "16, music-2.0, minimax, MUSIC, /vendors/minimax/v1/music-2.0/text-to-music/generation",
            "17, music-2.5, minimax, MUSIC, /vendors/minimax/v1/music-2.5/text-to-music/generation",
            "18, sora, openai, VIDEO, /vendors/openai/v1/sora/generation",
            "19, sora-2, openai, VIDEO, /vendors/openai/v1/sora-2/generation",
            "20, sora-2-pro, openai, VIDEO, /vendors/openai/v1/sora-2-pro/generation",
            "21, veo3, google, VIDEO, /vendors/google/v1/veo3/generation",
            "22, veo-3.0, google, VIDEO, /vendors/google/v1/veo-3.0/generation",
            "23, veo-3.1, google, VIDEO, /vendors/google/v1/veo-3.1/generation",
            "24, veo-3.1-fast, google, VIDEO, /vendors/google/v1/veo-3.1-fast/generation",
            "25, veo, google, VIDEO, /vendors/google/v1/veo/generation",
            "26, midjourney-video, midjourney, VIDEO, /vendors/midjourney/v1/tob/video-diffusion",
            "27, kling-v2.1-master-text-to-video, klingai, VIDEO, "
                    + "/vendors/klingai/v1/kling-v2.1-master/text-to-video/generation",
            "28, kling-v2.1-master-image-to-video, klingai, VIDEO, "
                    + "/vendors/klingai/v1/kling-v2.1-master/image-to-video/generation",
            "29, kling-v2.5-turbo-text-to-video, klingai, VIDEO, "
                    + "/vendors/klingai/v1/kling-v2.5-turbo/text-to-video/generation",
            "30, kling-v2.5-turbo-image-to-video, klingai, VIDEO, "
                    + "/vendors/klingai/v1/kling-v2.5-turbo/image-to-video/generation",
            "31, kling-v2.6-text-to-video, klingai, VIDEO, /vendors/klingai/v1/kling-v2.6/text-to-video/generation",
            "32, kling-v2.6-image-to-video, klingai, VIDEO, /vendors/klingai/v1/kling-v2.6/image-to-video/generation",
            "33, kling-v3-text-to-video, klingai, VIDEO, /vendors/klingai/v1/kling-v3/text-to-video/generation",
            "34, kling-v3-image-to-video, klingai, VIDEO, /vendors/klingai/v1/kling-v3/image-to-video/generation",
            "35, kling-v3-omni-text-to-video, klingai, VIDEO, "
                    + "/vendors/klingai/v1/kling-v3-omni/text-to-video/generation",
            "36, kling-v3-omni-image-to-video, klingai, VIDEO, "
                    + "/vendors/klingai/v1/kling-v3-omni/image-to-video/generation",
            "37, kling-v3-omni-reference-image-to-video, klingai, VIDEO, "
                    + "/vendors/klingai/v1/kling-v3-omni/reference-image-to-video/generation",
            "38, kling-v3-omni-reference-video-to-video, klingai, VIDEO, "
                    + "/vendors/klingai/v1/kling-v3-omni/reference-video-to-video/generation",
            "39, kling-v3-omni-video-to-video-edit, klingai, VIDEO, "
                    + "/vendors/klingai/v1/kling-v3-omni/video-to-video/edit",
            "40, seedance-2.0-text-to-video, bytedance, VIDEO, "
                    + "/vendors/bytedance/v1/seedance-2.0/text-to-video/generation",
            "41, seedance-2.0-image-to-video, bytedance, VIDEO, "
                    + "/vendors/bytedance/v1/seedance-2.0/image-to-video/generation",
            "42, seedance-2.0-reference-to-video, bytedance, VIDEO, "
                    + "/vendors/bytedance/v1/seedance-2.0/reference-to-video/generation",
            "43, seedance-2.0-fast-text-to-video, bytedance, VIDEO, "
                    + "/vendors/bytedance/v1/seedance-2.0-fast/text-to-video/generation",
            "44, seedance-2.0-fast-image-to-video, bytedance, VIDEO, "
                    + "/vendors/bytedance/v1/seedance-2.0-fast/image-to-video/generation",
            "45, seedance-2.0-fast-reference-to-video, bytedance, VIDEO, "
                    + "/vendors/bytedance/v1/seedance-2.0-fast/reference-to-video/generation",
            "46, wan2.6-t2v, alibaba, VIDEO, /vendors/alibaba/v1/wan2.6-t2v/generation",
            "47, wan2.6-i2v, alibaba, VIDEO, /vendors/alibaba/v1/wan2.6-i2v/generation",
            "48, wan2.5-t2v-preview, alibaba, VIDEO, /vendors/alibaba/v1/wan2.5-t2v-preview/generation",
            "49, wan2.5-i2v-preview, alibaba, VIDEO, /vendors/alibaba/v1/wan2.5-i2v-preview/generation",
            "50, wan2.2-t2v-plus, alibaba, VIDEO, /vendors/alibaba/v1/wan2.2-t2v-plus/generation",
            "51, wan2.2-i2v-plus, alibaba, VIDEO, /vendors/alibaba/v1/wan2.2-i2v-plus/generation",
            "52, wan2.2-i2v-flash, alibaba, VIDEO, /vendors/alibaba/v1/wan2.2-i2v-flash/generation",
            "53, wan2.1-vace-plus, alibaba, VIDEO, /vendors/alibaba/v1/wan2.1-vace-plus/generation",
            "54, wan2.1-kf2v-plus, alibaba, VIDEO, /vendors/alibaba/v1/wan2.1-kf2v-plus/generation",
            "55, wan2.5-t2v-spark, mulerouter, VIDEO, /vendors/mulerouter/v1/wan2.5-t2v-spark/generation",
            "56, wan2.5-i2v-spark, mulerouter, VIDEO, /vendors/mulerouter/v1/wan2.5-i2v-spark/generation",
            "57, wan2.6-t2v-spark, mulerouter, VIDEO, /vendors/mulerouter/v1/wan2.6-t2v-spark/generation",
            "58, wan2.6-i2v-spark, mulerouter, VIDEO, /vendors/mulerouter/v1/wan2.6-i2v-spark/generation",
            "59, happy-horse-1-0-t2v, alibaba, VIDEO, /vendors/alibaba/v1/happy-horse-1-0-t2v/generation",
            "60, happy-horse-1-0-i2v, alibaba, VIDEO, /vendors/alibaba/v1/happy-horse-1-0-i2v/generation"
    })
    void registryMatchesTheSpecificationTable(int position, String id, String vendor, Surface surface, String path) {
        GenerationModel<?> model = CATALOG.registered().get(position);
        assertEquals(id, model.id());
        assertEquals(vendor, model.vendor());
        assertEquals(surface, model.surface());
        assertEquals(path, model.vendorPath());
        assertEquals("mulerun:" + vendor, model.ownedBy());
        assertEquals(ListedModel.of(id, vendor), CATALOG.listed().get(position));
        Optional<? extends GenerationModel<?>> found = lookup(surface).apply(id);
        assertTrue(found.isPresent() && found.get() == model, () -> id + " not found on its surface " + surface);
    }

    private static Function<String, Optional<? extends GenerationModel<?>>> lookup(Surface surface) {
        return switch (surface) {
            case IMAGE_GENERATION -> CATALOG::forImageGeneration;
            case IMAGE_EDIT -> CATALOG::forImageEdit;
            case SPEECH -> CATALOG::forSpeech;
            case MUSIC -> CATALOG::forMusic;
            case VIDEO -> CATALOG::forVideo;
        };
    }

    @Test
    void eachModelIsFoundOnExactlyOneSurface() {
        for (GenerationModel<?> model : CATALOG.registered()) {
            long surfaces = Arrays.stream(Surface.values())
                    .filter(surface -> lookup(surface).apply(model.id()).isPresent())
                    .count();
            assertEquals(1, surfaces, model.id());
        }
    }

    @Test
    void countsAre61RegisteredPlus15ChatMakes76Listed() {
        assertEquals(61, CATALOG.registeredCount());
        assertEquals(61, CATALOG.registered().size());
        assertEquals(15, CATALOG.chatModelIds().size());
        assertEquals(76, CATALOG.listed().size());
    }

    @Test
    void surfaceCountsAre9Image5Edit4Audio43Video() {
        Map<Surface, Long> counts = CATALOG.registered().stream()
                .collect(Collectors.groupingBy(GenerationModel::surface, Collectors.counting()));
        assertEquals(Map.of(Surface.IMAGE_GENERATION, 9L, Surface.IMAGE_EDIT, 5L, Surface.SPEECH, 2L,
                Surface.MUSIC, 2L, Surface.VIDEO, 43L), counts);
    }

    @Test
    void idsAreUnique() {
        Set<String> listed = new HashSet<>();
        CATALOG.listed().forEach(item -> assertTrue(listed.add(item.id()), "duplicate " + item.id()));
        assertEquals(76, listed.size());
    }

    @Test
    void listedVendorsAreTheSpecificationsTen() {
        Set<String> owners = CATALOG.listed().stream().map(ListedModel::ownedBy).collect(Collectors.toSet());
        assertEquals(Set.of("mulerun:midjourney", "mulerun:alibaba", "mulerun:openai", "mulerun:google",
                "mulerun:klingai", "mulerun:bytedance", "mulerun:mulerouter", "mulerun:minimax", "mulerun:deepseek",
                "mulerun:anthropic"), owners);
    }

    @Test
    void chatIdsFollowTheRegistryInFixedOrder() {
        List<String> expected = List.of("gpt-5", "gpt-5-mini", "gpt-5-nano", "gpt-4.1", "gpt-4.1-mini", "o4-mini",
                "deepseek-v4-flash", "deepseek-v4-pro", "claude-sonnet-4-6", "claude-haiku-4-5", "claude-opus-4-7",
                "openai/gpt-5.5", "openai/gpt-5.4-mini", "openai/gpt-5.4-nano", "openai/gpt-5.3-codex");
        assertEquals(expected, CATALOG.chatModelIds());
        assertEquals(expected, CATALOG.listed().subList(61, 76).stream().map(ListedModel::id).toList());
        assertEquals(ListedModel.of("deepseek-v4-pro", "deepseek"), CATALOG.listed().get(61 + 7));
        assertEquals(ListedModel.of("claude-opus-4-7", "anthropic"), CATALOG.listed().get(61 + 10));
        assertEquals(ListedModel.of("openai/gpt-5.3-codex", "openai"), CATALOG.listed().get(75));
    }

    @Test
    void listingIsDeterministic() {
        assertEquals(CATALOG.listed(), new ModelCatalog().listed());
    }

    @Test
    void listedContainsTheEndToEndIds() {
        Set<String> ids = CATALOG.listed().stream().map(ListedModel::id).collect(Collectors.toSet());
        assertTrue(ids.containsAll(List.of("gpt-image-2", "nano-banana", "sora-2", "speech-2.8-hd", "music-2.5",
                "veo", "gpt-image-2-edit", "nano-banana-edit", "wan2.5-i2i-preview-edit")));
    }

    @Test
    void listedItemSerialisesToExactlyIdObjectOwnedBy() throws JsonProcessingException {
        String json = new ObjectMapper().writeValueAsString(ListedModel.of("sora-2", "openai"));
        assertEquals("{\"id\":\"sora-2\",\"object\":\"model\",\"owned_by\":\"mulerun:openai\"}", json);
    }

    @Test
    void chatVendorMapRoutesOnlyOpenai() {
        assertEquals(Optional.of("/vendors/openai/v1/chat/completions"), CATALOG.chatVendorPath("openai"));
        assertEquals(Optional.empty(), CATALOG.chatVendorPath("google"));
        assertEquals(Optional.empty(), CATALOG.chatVendorPath("anthropic"));
        assertEquals(Optional.empty(), CATALOG.chatVendorPath("OpenAI"));
        assertEquals(Optional.empty(), CATALOG.chatVendorPath(""));
        assertEquals(Optional.empty(), CATALOG.chatVendorPath(null));
    }

    @Test
    void editModelIsNotFoundForGeneration() {
        assertFalse(CATALOG.forImageGeneration("gpt-image-2-edit").isPresent());
        assertFalse(CATALOG.forImageGeneration("wan2.5-i2i-preview-edit").isPresent());
    }

    @Test
    void generationModelIsNotFoundForEdits() {
        assertFalse(CATALOG.forImageEdit("gpt-image-2").isPresent());
        assertFalse(CATALOG.forImageEdit("wan2.5-i2i-preview").isPresent());
        assertFalse(CATALOG.forImageEdit("nope").isPresent());
    }

    @Test
    void speechModelsAreRejectedForMusicAndMusicModelsForSpeech() {
        assertFalse(CATALOG.forMusic("speech-2.8-hd").isPresent());
        assertFalse(CATALOG.forMusic("speech-2.8-turbo").isPresent());
        assertFalse(CATALOG.forSpeech("music-2.5").isPresent());
        assertFalse(CATALOG.forSpeech("music-2.0").isPresent());
        assertTrue(CATALOG.forSpeech("speech-2.8-turbo").isPresent());
        assertTrue(CATALOG.forMusic("music-2.0").isPresent());
    }

    @Test
    void modelsOfOtherSurfacesAreNotVideos() {
        assertFalse(CATALOG.forVideo("gpt-image-2").isPresent());
        assertFalse(CATALOG.forVideo("music-2.5").isPresent());
        assertFalse(CATALOG.forImageGeneration("sora-2").isPresent());
        assertFalse(CATALOG.forSpeech("sora-2").isPresent());
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = { "dall-e-3", "dall-e-2", "tts-1", "gpt-image-1", "fake-9000", "", "SORA-2", "sora-2 ",
            "gpt-5", "openai/gpt-5.5" })
    void unknownAndUnaliasedIdsAreNotFoundAnywhere(String id) {
        assertFalse(CATALOG.forImageGeneration(id).isPresent());
        assertFalse(CATALOG.forImageEdit(id).isPresent());
        assertFalse(CATALOG.forSpeech(id).isPresent());
        assertFalse(CATALOG.forMusic(id).isPresent());
        assertFalse(CATALOG.forVideo(id).isPresent());
    }

    @Test
    void everyMapperReturnsAFreshBody() {
        GenerationModel<VideoRequest> model = CATALOG.forVideo("sora-2").orElseThrow();
        VideoRequest request = CatalogFixtures.parse("{'prompt':'p','extra':{'nested':{'a':1}}}", VideoRequest.class);
        ((ObjectNode) model.map(request).get("nested")).put("a", 2);
        assertEquals(1, request.extra().get("nested").get("a").asInt());
        assertEquals(1, model.map(request).get("nested").get("a").asInt());
    }
}
