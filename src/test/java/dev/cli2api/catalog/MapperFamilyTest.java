package dev.cli2api.catalog;

import static dev.cli2api.catalog.CatalogFixtures.CATALOG;
import static dev.cli2api.catalog.CatalogFixtures.assertBody;
import static dev.cli2api.catalog.CatalogFixtures.mapEdit;
import static dev.cli2api.catalog.CatalogFixtures.mapImage;
import static dev.cli2api.catalog.CatalogFixtures.mapMusic;
import static dev.cli2api.catalog.CatalogFixtures.mapSpeech;
import static dev.cli2api.catalog.CatalogFixtures.mapVideo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Every mapper family, for every model that uses it: each field forwarded when set, absent when unset (missing,
 * null, empty string or empty array), and {@code 0}/{@code false} forwarded where the family takes the field.
 */
class MapperFamilyTest {

    private static final String FULL_VIDEO = "{'model':'ignored','prompt':'P','negative_prompt':'NP','size':'1280x720',"
            + "'aspect_ratio':'16:9','resolution':'1080p','seconds':'8','duration':5,'image':'IMG',"
            + "'input_reference':'REF','mode':'pro','generate_audio':true,'first_frame':'FF','last_frame':'LF',"
            + "'video':'VID','keep_audio':true,'multi_prompt':[{'prompt':'a','duration':2}],'multi_shot':'true',"
            + "'shot_type':'customize','elements':[{'id':1}],'images':['I1','I2'],'reference_images':['R1'],"
            + "'sound':'on','seed':42}";

    private static final String BLANK_VIDEO = "{'prompt':'','negative_prompt':'','size':'','aspect_ratio':'',"
            + "'resolution':'','seconds':'','duration':null,'image':'','input_reference':'','mode':'',"
            + "'generate_audio':null,'first_frame':'','last_frame':'','video':'','keep_audio':null,'multi_prompt':[],"
            + "'multi_shot':'','shot_type':'','elements':[],'images':[],'reference_images':[],'sound':'',"
            + "'seed':null,'extra':null}";

    private static final String FALSY_VIDEO = "{'prompt':'P','duration':0,'seed':0,'keep_audio':false,"
            + "'generate_audio':false}";

    /** The Kling v3 / omni fields every such family forwards. */
    private static final String K3 = "'prompt':'P','negative_prompt':'NP','mode':'pro','multi_shot':'true',"
            + "'shot_type':'customize','multi_prompt':[{'prompt':'a','duration':2}],'duration':5,'sound':'on'";

    private static final String VEO = "'prompt':'P','negative_prompt':'NP','image':'IMG','last_frame':'LF',"
            + "'reference_images':['R1'],'aspect_ratio':'16:9','resolution':'1080p','duration':5";

    private static final List<Arguments> VIDEO_FAMILIES = List.of(
            family("SORA", List.of("sora", "sora-2", "sora-2-pro"),
                    "{'prompt':'P','seconds':'8','size':'1280x720','input_reference':'REF'}", "{'prompt':''}"),
            family("VEO", List.of("veo3", "veo-3.0", "veo-3.1", "veo-3.1-fast"), "{" + VEO + "}", "{'prompt':''}"),
            family("VEO-AGG", List.of("veo"), "{" + VEO + ",'model':'veo-3.1'}", "{'prompt':'','model':'veo-3.1'}"),
            family("MJ-VIDEO", List.of("midjourney-video"), "{'prompt':'P'}", "{'prompt':''}"),
            family("K2-T2V", List.of("kling-v2.1-master-text-to-video", "kling-v2.5-turbo-text-to-video",
                    "kling-v2.6-text-to-video"),
                    "{'prompt':'P','negative_prompt':'NP','aspect_ratio':'16:9','sound':'on','mode':'pro','duration':5}",
                    "{'prompt':''}"),
            family("K2-I2V", List.of("kling-v2.1-master-image-to-video", "kling-v2.5-turbo-image-to-video",
                    "kling-v2.6-image-to-video"),
                    "{'image':'IMG','prompt':'P','negative_prompt':'NP','image_tail':'LF','sound':'on','mode':'pro',"
                            + "'duration':5}",
                    "{'image':''}"),
            family("K3-T2V", List.of("kling-v3-text-to-video"), "{" + K3 + ",'aspect_ratio':'16:9'}", "{}"),
            family("K3-I2V", List.of("kling-v3-image-to-video"),
                    "{" + K3 + ",'first_frame':'FF','last_frame':'LF','elements':[{'id':1}]}", "{}"),
            family("OMNI-T2V", List.of("kling-v3-omni-text-to-video"), "{" + K3 + ",'aspect_ratio':'16:9'}", "{}"),
            family("OMNI-I2V", List.of("kling-v3-omni-image-to-video"),
                    "{" + K3 + ",'aspect_ratio':'16:9','first_frame':'FF','last_frame':'LF'}", "{}"),
            family("OMNI-REFIMG", List.of("kling-v3-omni-reference-image-to-video"),
                    "{" + K3 + ",'aspect_ratio':'16:9','first_frame':'FF','last_frame':'LF','images':['I1','I2'],"
                            + "'elements':[{'id':1}]}",
                    "{}"),
            family("OMNI-REFVID", List.of("kling-v3-omni-reference-video-to-video"),
                    "{" + K3 + ",'aspect_ratio':'16:9','video':'VID','keep_audio':true,'images':['I1','I2'],"
                            + "'elements':[{'id':1}]}",
                    "{}"),
            family("OMNI-V2V", List.of("kling-v3-omni-video-to-video-edit"),
                    "{'prompt':'P','negative_prompt':'NP','mode':'pro','video':'VID','keep_audio':true,"
                            + "'images':['I1','I2'],'elements':[{'id':1}]}",
                    "{}"),
            family("SD-T2V", List.of("seedance-2.0-text-to-video", "seedance-2.0-fast-text-to-video"),
                    "{'prompt':'P','resolution':'1080p','aspect_ratio':'16:9','duration':5,'generate_audio':true,"
                            + "'seed':42}",
                    "{'prompt':''}"),
            family("SD-I2V", List.of("seedance-2.0-image-to-video", "seedance-2.0-fast-image-to-video"),
                    "{'prompt':'P','image':'IMG','last_frame':'LF','resolution':'1080p','aspect_ratio':'16:9',"
                            + "'duration':5,'generate_audio':true}",
                    "{'prompt':''}"),
            family("SD-REF", List.of("seedance-2.0-reference-to-video", "seedance-2.0-fast-reference-to-video"),
                    "{'prompt':'P','reference_images':['R1'],'resolution':'1080p','aspect_ratio':'16:9','duration':5,"
                            + "'generate_audio':true}",
                    "{'prompt':''}"),
            family("WAN-VID", List.of("wan2.6-t2v", "wan2.6-i2v", "wan2.5-t2v-preview", "wan2.5-i2v-preview",
                    "wan2.2-t2v-plus", "wan2.2-i2v-plus", "wan2.2-i2v-flash", "wan2.1-vace-plus", "wan2.1-kf2v-plus",
                    "wan2.5-t2v-spark", "wan2.5-i2v-spark", "wan2.6-t2v-spark", "wan2.6-i2v-spark"),
                    "{'prompt':'P','negative_prompt':'NP','size':'1280*720','image':'IMG','last_frame':'LF',"
                            + "'aspect_ratio':'16:9','resolution':'1080p','duration':5,'seed':42}",
                    "{'prompt':''}"),
            family("HH-T2V", List.of("happy-horse-1-0-t2v"), "{'prompt':'P','resolution':'1080p','duration':5,'seed':42}",
                    "{'prompt':''}"),
            family("HH-I2V", List.of("happy-horse-1-0-i2v"),
                    "{'image':'IMG','prompt':'P','resolution':'1080p','duration':5,'seed':42}", "{}"));

    private static final String FULL_IMAGE = "{'prompt':'P','negative_prompt':'NP','n':2,'size':'1024x1024',"
            + "'aspect_ratio':'1:1','resolution':'2K','quality':'high','format':'png','web_search':true,'seed':7,"
            + "'image':'IMG','response_format':'b64_json','style':'vivid'}";

    private static final String BLANK_IMAGE = "{'prompt':'','negative_prompt':'','n':null,'size':'','aspect_ratio':'',"
            + "'resolution':'','quality':'','format':'','web_search':null,'seed':null,'image':'','extra':null}";

    private static final List<Arguments> IMAGE_FAMILIES = List.of(
            family("MJ", List.of("midjourney"), "{'prompt':'P'}", "{'prompt':''}"),
            family("WAN-IMG", List.of("wan2.6-t2i", "wan2.6-image", "wan2.5-t2i-preview", "wan2.5-i2i-preview"),
                    "{'prompt':'P','negative_prompt':'NP','size':'1024*1024','n':2,'seed':7,'image':'IMG'}",
                    "{'prompt':''}"),
            family("GPT-IMG", List.of("gpt-image-2"),
                    "{'prompt':'P','quality':'high','size':'1024x1024','format':'png','n':2}", "{'prompt':''}"),
            family("NB(res=no,web=no)", List.of("nano-banana"), "{'prompt':'P','aspect_ratio':'1:1'}",
                    "{'prompt':''}"),
            family("NB(res=yes,web=no)", List.of("nano-banana-pro"),
                    "{'prompt':'P','aspect_ratio':'1:1','resolution':'2K'}", "{'prompt':''}"),
            family("NB(res=yes,web=yes)", List.of("nano-banana-2"),
                    "{'prompt':'P','aspect_ratio':'1:1','resolution':'2K','web_search':true}", "{'prompt':''}"));

    private static final String FULL_EDIT = "{'prompt':'P','image':'A','images':['B','C'],'mask':'M',"
            + "'size':'1024x1024','aspect_ratio':'1:1','resolution':'2K','n':2,'format':'png','quality':'high',"
            + "'seed':7,'negative_prompt':'NP'}";

    private static final String BLANK_EDIT = "{'prompt':'','image':'','images':[],'mask':'','size':'',"
            + "'aspect_ratio':'','resolution':'','n':0,'format':'','quality':'','seed':null,'negative_prompt':''}";

    private static final List<Arguments> EDIT_FAMILIES = List.of(
            family("GPT-IMG-EDIT", List.of("gpt-image-2-edit"),
                    "{'prompt':'P','images':['A','B','C'],'mask':'M','size':'1024x1024','format':'png','n':2}",
                    "{'prompt':''}"),
            family("NB-EDIT", List.of("nano-banana-edit"), "{'prompt':'P','images':['A','B','C'],'aspect_ratio':'1:1'}",
                    "{'prompt':''}"),
            family("NB-EDIT(res)", List.of("nano-banana-pro-edit", "nano-banana-2-edit"),
                    "{'prompt':'P','images':['A','B','C'],'aspect_ratio':'1:1','resolution':'2K'}", "{'prompt':''}"),
            family("WAN-EDIT", List.of("wan2.5-i2i-preview-edit"),
                    "{'prompt':'P','images':['A','B','C'],'negative_prompt':'NP','size':'1024*1024','n':2,'seed':7}",
                    "{'prompt':''}"));

    private static final String FULL_AUDIO = "{'input':'IN','prompt':'PR','voice':'V','voice_id':'VID',"
            + "'response_format':'mp3','audio_format':'wav','speed':1.5,'vol':2,'pitch':-1,'emotion':'happy',"
            + "'language_boost':'auto','sample_rate':24000,'bitrate':128000,'english_normalization':true,"
            + "'lyrics_prompt':'L','lyrics_optimizer':true}";

    private static final String BLANK_AUDIO = "{'input':'','prompt':'','voice':'','voice_id':'','response_format':'',"
            + "'audio_format':'','speed':null,'vol':null,'pitch':null,'emotion':'','language_boost':'',"
            + "'sample_rate':null,'bitrate':null,'english_normalization':null,'lyrics_prompt':'',"
            + "'lyrics_optimizer':null,'extra':null}";

    private static final String AUDIO_SETTING = "'audio_setting':{'format':'wav','sample_rate':24000,'bitrate':128000}";

    private static Arguments family(String name, List<String> ids, String whenSet, String whenUnset) {
        return Arguments.of(name, ids, whenSet, whenUnset);
    }

    /** One row per model: family, id, expected body for the full request, expected body for an unset request. */
    private static Stream<Arguments> perModel(List<Arguments> families) {
        return families.stream().flatMap(family -> {
            Object[] row = family.get();
            @SuppressWarnings("unchecked")
            List<String> ids = (List<String>) row[1];
            return ids.stream().map(id -> Arguments.of(row[0], id, row[2], row[3]));
        });
    }

    static Stream<Arguments> videoModels() {
        return perModel(VIDEO_FAMILIES);
    }

    static Stream<Arguments> imageModels() {
        return perModel(IMAGE_FAMILIES);
    }

    static Stream<Arguments> editModels() {
        return perModel(EDIT_FAMILIES);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("videoModels")
    void videoFamilyForwardsEveryFieldItTakes(String family, String id, String whenSet, String whenUnset) {
        assertBody(whenSet, mapVideo(id, FULL_VIDEO));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("videoModels")
    void videoFamilyOmitsUnsetFields(String family, String id, String whenSet, String whenUnset) {
        assertBody(whenUnset, mapVideo(id, "{}"));
        assertBody(whenUnset, mapVideo(id, BLANK_VIDEO));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("videoModels")
    void videoFamilyForwardsZeroAndFalse(String family, String id, String whenSet, String whenUnset) {
        Set<String> numericAndBoolean = Set.of("duration", "seed", "keep_audio", "generate_audio");
        Set<String> taken = keys(mapVideo(id, FULL_VIDEO));
        taken.retainAll(numericAndBoolean);
        ObjectNode falsy = mapVideo(id, FALSY_VIDEO);
        Set<String> forwarded = keys(falsy);
        forwarded.retainAll(numericAndBoolean);
        assertEquals(taken, forwarded);
        // asInt() reads false as 0
        forwarded.forEach(key -> assertEquals(0, falsy.get(key).asInt(), key));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("imageModels")
    void imageFamilyForwardsEveryFieldItTakes(String family, String id, String whenSet, String whenUnset) {
        assertBody(whenSet, mapImage(id, FULL_IMAGE));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("imageModels")
    void imageFamilyOmitsUnsetFields(String family, String id, String whenSet, String whenUnset) {
        assertBody(whenUnset, mapImage(id, "{}"));
        assertBody(whenUnset, mapImage(id, BLANK_IMAGE));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("editModels")
    void editFamilyForwardsEveryFieldItTakes(String family, String id, String whenSet, String whenUnset) {
        assertBody(whenSet, mapEdit(id, FULL_EDIT));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("editModels")
    void editFamilyOmitsUnsetFields(String family, String id, String whenSet, String whenUnset) {
        assertBody(whenUnset, mapEdit(id, "{}"));
        assertBody(whenUnset, mapEdit(id, BLANK_EDIT));
    }

    @Test
    void familyTablesCoverEveryRegisteredModelOnce() {
        List<String> covered = new ArrayList<>();
        Stream.of(videoModels(), imageModels(), editModels()).flatMap(s -> s)
                .forEach(row -> covered.add((String) row.get()[1]));
        covered.addAll(List.of("speech-2.8-hd", "speech-2.8-turbo", "music-2.0", "music-2.5"));
        assertEquals(covered.size(), new HashSet<>(covered).size());
        assertEquals(CATALOG.registered().stream().map(GenerationModel::id).collect(Collectors.toSet()),
                new HashSet<>(covered));
    }

    @ParameterizedTest
    @CsvSource({ "speech-2.8-hd", "speech-2.8-turbo" })
    void speechForwardsEveryFieldItTakes(String id) {
        assertBody("{'prompt':'IN','voice_setting':{'voice_id':'VID','speed':1.5,'vol':2.0,'pitch':-1,"
                + "'emotion':'happy','language_boost':'auto'}," + AUDIO_SETTING + ",'english_normalization':true,"
                + "'output_format':'url'}", mapSpeech(id, FULL_AUDIO));
    }

    @ParameterizedTest
    @CsvSource({ "speech-2.8-hd", "speech-2.8-turbo" })
    void speechOmitsUnsetFieldsButKeepsPromptAndOutputFormat(String id) {
        assertBody("{'prompt':'','output_format':'url'}", mapSpeech(id, "{}"));
        assertBody("{'prompt':'','output_format':'url'}", mapSpeech(id, BLANK_AUDIO));
    }

    @Test
    void speechFallsBackToTheAliases() {
        assertBody("{'prompt':'PR','voice_setting':{'voice_id':'V'},'audio_setting':{'format':'mp3'},"
                + "'output_format':'url'}", mapSpeech("speech-2.8-hd", "{'prompt':'PR','voice':'V','response_format':'mp3'}"));
    }

    @Test
    void speechForwardsZeroAndFalse() {
        assertBody("{'prompt':'IN','voice_setting':{'speed':0.0,'vol':0.0,'pitch':0},"
                + "'audio_setting':{'sample_rate':0,'bitrate':0},'english_normalization':false,'output_format':'url'}",
                mapSpeech("speech-2.8-hd", "{'input':'IN','speed':0,'vol':0,'pitch':0,'sample_rate':0,'bitrate':0,"
                        + "'english_normalization':false,'lyrics_optimizer':false}"));
    }

    @ParameterizedTest
    @CsvSource({ "music-2.0", "music-2.5" })
    void musicForwardsEveryFieldItTakes(String id) {
        assertBody("{'prompt':'PR','lyrics_prompt':'L','lyrics_optimizer':true," + AUDIO_SETTING + "}",
                mapMusic(id, FULL_AUDIO));
    }

    @ParameterizedTest
    @CsvSource({ "music-2.0", "music-2.5" })
    void musicOmitsUnsetFields(String id) {
        assertBody("{}", mapMusic(id, "{}"));
        assertBody("{}", mapMusic(id, BLANK_AUDIO));
    }

    @Test
    void musicFallsBackToInputAndForwardsFalse() {
        assertBody("{'prompt':'IN','lyrics_optimizer':false,'audio_setting':{'format':'mp3'}}",
                mapMusic("music-2.5", "{'input':'IN','lyrics_optimizer':false,'response_format':'mp3'}"));
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', value = {
            "sora-2 | {'prompt':'P','image':'IMG'} | {'prompt':'P','input_reference':'IMG'}",
            "veo | {'prompt':'P','first_frame':'FF','images':['I1']} "
                    + "| {'prompt':'P','image':'FF','reference_images':['I1'],'model':'veo-3.1'}",
            "veo | {'prompt':'P','image':'IMG','first_frame':'FF','images':['I1'],'reference_images':['R1']} "
                    + "| {'prompt':'P','image':'IMG','reference_images':['R1'],'model':'veo-3.1'}",
            "veo-3.1 | {'prompt':'P','first_frame':'FF','images':['I1']} | {'prompt':'P'}",
            "kling-v3-omni-image-to-video | {'image':'IMG'} | {'first_frame':'IMG'}",
            "kling-v3-omni-reference-image-to-video | {'image':'IMG','first_frame':'FF'} | {'first_frame':'FF'}",
            "happy-horse-1-0-i2v | {'first_frame':'FF'} | {'image':'FF'}",
            "happy-horse-1-0-i2v | {'image':'IMG','first_frame':'FF'} | {'image':'IMG'}",
            "wan2.6-i2v | {'prompt':'P','size':'1920x1080x1'} | {'prompt':'P','size':'1920*1080*1'}"
    })
    void videoFallbacks(String id, String request, String expected) {
        assertBody(expected, mapVideo(id, request));
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', value = {
            "gpt-image-2 | {'prompt':'P','n':0} | {'prompt':'P'}",
            "gpt-image-2 | {'prompt':'P','n':-1} | {'prompt':'P'}",
            "wan2.6-t2i | {'prompt':'P','n':0,'seed':0} | {'prompt':'P','seed':0}",
            "nano-banana-2 | {'prompt':'P','web_search':false} | {'prompt':'P','web_search':false}",
            "nano-banana-pro | {'prompt':'P','web_search':true} | {'prompt':'P'}",
            "gpt-image-2 | {'prompt':'P','size':'auto'} | {'prompt':'P','size':'auto'}"
    })
    void imageCountAndFlags(String id, String request, String expected) {
        assertBody(expected, mapImage(id, request));
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', value = {
            "nano-banana-edit | {'prompt':'P','images':['B'],'mask':'M','n':3} | {'prompt':'P','images':['B']}",
            "wan2.5-i2i-preview-edit | {'prompt':'P','image':'A','mask':'M','seed':0,'n':0} "
                    + "| {'prompt':'P','images':['A'],'seed':0}",
            "nano-banana-2-edit | {'prompt':'P','image':'A','web_search':true} | {'prompt':'P','images':['A']}",
            "gpt-image-2-edit | {'prompt':'P','images':['B'],'quality':'high'} | {'prompt':'P','images':['B']}"
    })
    void editMaskQualityAndCountRules(String id, String request, String expected) {
        assertBody(expected, mapEdit(id, request));
    }

    static Stream<GenerationModel<?>> registered() {
        return CATALOG.registered().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("registered")
    void extraIsCopiedLastOverwritingComputedFields(GenerationModel<?> model) {
        String request = "{'prompt':'P','input':'P','extra':{'custom_key':[1,{'a':true}],'prompt':'X'}}";
        ObjectNode body = switch (model.surface()) {
            case IMAGE_GENERATION -> mapImage(model.id(), request);
            case IMAGE_EDIT -> mapEdit(model.id(), request);
            case SPEECH -> mapSpeech(model.id(), request);
            case MUSIC -> mapMusic(model.id(), request);
            case VIDEO -> mapVideo(model.id(), request);
        };
        assertEquals(CatalogFixtures.parse("[1,{'a':true}]", JsonNode.class), body.get("custom_key"));
        assertEquals("X", body.get("prompt").asText());
    }

    private static Set<String> keys(ObjectNode node) {
        Set<String> keys = new HashSet<>();
        node.fieldNames().forEachRemaining(keys::add);
        return keys;
    }
}
