package dev.cli2api.catalog;

import static dev.cli2api.catalog.CatalogFixtures.CATALOG;
import static dev.cli2api.catalog.CatalogFixtures.assertBody;
import static dev.cli2api.catalog.CatalogFixtures.mapEdit;
import static dev.cli2api.catalog.CatalogFixtures.mapImage;
import static dev.cli2api.catalog.CatalogFixtures.mapMusic;
import static dev.cli2api.catalog.CatalogFixtures.mapSpeech;
import static dev.cli2api.catalog.CatalogFixtures.mapVideo;
import static dev.cli2api.catalog.CatalogFixtures.parse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** The registry behaviours the reference locks with tests (specification §8.5), one test each. */
class LockedRegistryBehaviourTest {

    @Test
    void wan26T2iRewritesSizeAndForwardsN() {
        ObjectNode body = mapImage("wan2.6-t2i", "{'prompt':'p','size':'1024x1024','n':2}");
        assertEquals("1024*1024", body.get("size").asText());
        assertEquals(2, body.get("n").asInt());
    }

    @Test
    void sora2SendsImageAsInputReference() {
        ObjectNode body = mapVideo("sora-2", "{'prompt':'p','image':'https://x/a.png'}");
        assertEquals("https://x/a.png", body.get("input_reference").asText());
        assertFalse(body.has("image"));
    }

    @Test
    void klingV26ImageToVideoForwardsImageAndMode() {
        ObjectNode body = mapVideo("kling-v2.6-image-to-video", "{'prompt':'p','image':'https://x/a.png','mode':'pro'}");
        assertEquals("https://x/a.png", body.get("image").asText());
        assertEquals("pro", body.get("mode").asText());
    }

    @Test
    void wan26T2vPassesExtraThrough() {
        ObjectNode body = mapVideo("wan2.6-t2v", "{'prompt':'p','extra':{'custom_key':'v'}}");
        assertEquals("v", body.get("custom_key").asText());
    }

    @Test
    void registryHasAtLeastThirtyModels() {
        assertTrue(CATALOG.registeredCount() >= 30);
    }

    @Test
    void speech28HdIsSpeechAndMapsInputVoiceEmotionAndUrlOutput() {
        assertEquals(Surface.SPEECH, CATALOG.forSpeech("speech-2.8-hd").orElseThrow().surface());
        assertBody("{'prompt':'hello','voice_setting':{'voice_id':'alloy','emotion':'happy'},'output_format':'url'}",
                mapSpeech("speech-2.8-hd", "{'input':'hello','voice':'alloy','emotion':'happy'}"));
    }

    @Test
    void speech28TurboNestsResponseFormatAndSampleRate() {
        ObjectNode body = mapSpeech("speech-2.8-turbo", "{'input':'hi','response_format':'mp3','sample_rate':24000}");
        assertBody("{'format':'mp3','sample_rate':24000}", (ObjectNode) body.get("audio_setting"));
    }

    @Test
    void music25IsMusicAndNestsAudioSettingWithoutOutputFormat() {
        assertTrue(ModelCatalog.isMusic("music-2.5"));
        assertBody("{'prompt':'a song','lyrics_prompt':'la la','audio_setting':{'format':'mp3','sample_rate':44100}}",
                mapMusic("music-2.5",
                        "{'prompt':'a song','lyrics_prompt':'la la','audio_format':'mp3','sample_rate':44100}"));
    }

    @Test
    void musicPredicateIsTheMusicPrefix() {
        assertTrue(ModelCatalog.isMusic("music-2.5"));
        assertTrue(ModelCatalog.isMusic("music-2.0"));
        assertFalse(ModelCatalog.isMusic("speech-2.8-hd"));
        assertFalse(ModelCatalog.isMusic("sora-2"));
        assertFalse(ModelCatalog.isMusic(""));
    }

    @Test
    void gptImage2ForwardsQualityRawSizeNAndFormat() {
        assertBody("{'prompt':'p','quality':'high','size':'1024x1536','n':2,'format':'webp'}",
                mapImage("gpt-image-2", "{'prompt':'p','quality':'high','size':'1024x1536','n':2,'format':'webp'}"));
    }

    @Test
    void nanoBananaFamilySendsResolutionOnlyForProAnd2AndWebSearchOnlyFor2() {
        String request = "{'prompt':'p','aspect_ratio':'16:9','resolution':'4K','web_search':true}";
        assertBody("{'prompt':'p','aspect_ratio':'16:9'}", mapImage("nano-banana", request));
        assertBody("{'prompt':'p','aspect_ratio':'16:9','resolution':'4K'}", mapImage("nano-banana-pro", request));
        assertBody("{'prompt':'p','aspect_ratio':'16:9','resolution':'4K','web_search':true}",
                mapImage("nano-banana-2", request));
    }

    @Test
    void veoDefaultsModelToVeo31AndExtraModelWins() {
        assertEquals("veo-3.1", mapVideo("veo", "{'prompt':'p'}").get("model").asText());
        assertEquals("veo-3.1-fast", mapVideo("veo", "{'prompt':'p','extra':{'model':'veo-3.1-fast'}}")
                .get("model").asText());
    }

    @Test
    void veoExtraModelKeyPresenceAloneSuppressesTheDefault() {
        assertTrue(mapVideo("veo", "{'prompt':'p','extra':{'model':null}}").get("model").isNull());
        assertEquals("veo-3.1", mapVideo("veo", "{'prompt':'p','extra':{'other':1}}").get("model").asText());
        assertFalse(mapVideo("veo-3.1", "{'prompt':'p'}").has("model"));
    }

    @Test
    void klingV3ImageToVideoSendsImageAsFirstFrameUnlessFirstFrameIsExplicit() {
        ObjectNode fromImage = mapVideo("kling-v3-image-to-video", "{'prompt':'p','image':'IMG'}");
        assertEquals("IMG", fromImage.get("first_frame").asText());
        assertFalse(fromImage.has("image"));
        ObjectNode explicit = mapVideo("kling-v3-image-to-video", "{'prompt':'p','image':'IMG','first_frame':'FF'}");
        assertEquals("FF", explicit.get("first_frame").asText());
    }

    @Test
    void omniVideoEditDropsTypedAndSmuggledKeysAfterExtra() {
        ObjectNode body = mapVideo("kling-v3-omni-video-to-video-edit",
                "{'prompt':'p','video':'VID','aspect_ratio':'16:9','multi_shot':'true','extra':{'sound':'on',"
                        + "'aspect_ratio':'1:1','duration':10,'multi_shot':'true','shot_type':'x',"
                        + "'multi_prompt':[1],'keep':'me'}}");
        assertBody("{'prompt':'p','video':'VID','keep':'me'}", body);
    }

    @Test
    void extraVoiceSettingReplacesTheComputedVoiceSettingWholesale() {
        ObjectNode body = mapSpeech("speech-2.8-hd",
                "{'input':'hi','voice':'alloy','speed':1.2,'emotion':'sad','extra':{'voice_setting':{'voice_id':'Override'}}}");
        assertBody("{'voice_id':'Override'}", (ObjectNode) body.get("voice_setting"));
    }

    @Test
    void speechOutputFormatStaysUrlWhenExtraSaysHex() {
        ObjectNode body = mapSpeech("speech-2.8-hd", "{'input':'hi','extra':{'output_format':'hex'}}");
        assertEquals("url", body.get("output_format").asText());
    }

    @Test
    void happyHorseI2vForwardsImageResolutionAndDuration() {
        assertBody("{'prompt':'p','image':'IMG','resolution':'1080P','duration':8}",
                mapVideo("happy-horse-1-0-i2v", "{'prompt':'p','image':'IMG','resolution':'1080P','duration':8}"));
    }

    @Test
    void gptImage2EditMergesImageFirstAndForwardsMaskSizeN() {
        assertBody("{'prompt':'p','images':['A','B'],'mask':'M','size':'1024x1024','n':2}",
                mapEdit("gpt-image-2-edit",
                        "{'prompt':'p','image':'A','images':['B'],'mask':'M','size':'1024x1024','n':2}"));
    }

    @Test
    void wan25I2iPreviewEditRewritesSize() {
        assertEquals("1024*1024",
                mapEdit("wan2.5-i2i-preview-edit", "{'prompt':'p','image':'A','size':'1024x1024'}").get("size").asText());
    }

    @Test
    void combinedEditImageListIsImageFirstThenImagesInOrder() {
        EditRequest request = parse("{'image':'A','images':['B','C','D']}", EditRequest.class);
        assertEquals(List.of("A", "B", "C", "D"), request.combinedImages());
        assertEquals(List.of("B", "C"), parse("{'image':'','images':['B','C']}", EditRequest.class).combinedImages());
        assertEquals(List.of("A"), parse("{'image':'A'}", EditRequest.class).combinedImages());
        assertEquals(List.of(), parse("{}", EditRequest.class).combinedImages());
    }
}
