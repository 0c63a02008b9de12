package dev.cli2api.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.cli2api.api.JsonSupport;

class RequestJsonTest {

    private static final ObjectMapper MAPPER = JsonSupport.newMapper();

    private static VideoRequest video(String json) throws JsonProcessingException {
        return MAPPER.readValue(json, VideoRequest.class);
    }

    @Test
    void unknownFieldsAreIgnored() throws JsonProcessingException {
        VideoRequest request = video("{\"model\":\"sora-2\",\"prompt\":\"p\",\"style\":\"vivid\",\"user\":{\"a\":1}}");
        assertEquals("sora-2", request.model());
        assertEquals("p", request.prompt());
        ImageRequest image = MAPPER.readValue("{\"model\":\"m\",\"response_format\":\"b64_json\"}", ImageRequest.class);
        assertEquals("m", image.model());
    }

    @Test
    void absentFieldsAreNull() throws JsonProcessingException {
        VideoRequest request = video("{}");
        assertNull(request.seconds());
        assertNull(request.duration());
        assertNull(request.keepAudio());
        assertNull(request.multiPrompt());
        assertNull(request.images());
        assertNull(request.extra());
    }

    @Test
    void explicitNullsAreUnset() throws JsonProcessingException {
        VideoRequest request = video("{\"multi_prompt\":null,\"elements\":null,\"extra\":null,\"images\":null,"
                + "\"keep_audio\":null,\"duration\":null,\"prompt\":null}");
        assertNull(request.multiPrompt());
        assertNull(request.elements());
        assertNull(request.extra());
        assertNull(request.images());
        assertNull(request.keepAudio());
        assertNull(request.duration());
        assertNull(request.prompt());
    }

    @Test
    void typedFieldsKeepTheirJsonTypes() throws JsonProcessingException {
        VideoRequest request = video("{\"seconds\":\"4\",\"duration\":5,\"multi_shot\":\"true\",\"keep_audio\":false,"
                + "\"generate_audio\":true,\"seed\":4294967295,\"multi_prompt\":[{\"prompt\":\"a\"},\"b\",3],"
                + "\"elements\":[1],\"images\":[\"u1\",\"u2\"],\"reference_images\":[\"r\"],\"extra\":{\"k\":[1]}}");
        assertEquals("4", request.seconds());
        assertEquals(5, request.duration());
        assertEquals("true", request.multiShot());
        assertEquals(false, request.keepAudio());
        assertEquals(true, request.generateAudio());
        assertEquals(4294967295L, request.seed());
        assertEquals(3, request.multiPrompt().size());
        assertEquals(List.of("u1", "u2"), request.images());
        assertEquals(List.of("r"), request.referenceImages());
        assertTrue(request.extra().get("k").isArray());
    }

    @Test
    void audioNumbersAcceptIntegersAndFractions() throws JsonProcessingException {
        AudioRequest request = MAPPER.readValue("{\"speed\":1,\"vol\":0.5,\"pitch\":-2,\"sample_rate\":24000,"
                + "\"bitrate\":128000,\"english_normalization\":false,\"lyrics_optimizer\":true}", AudioRequest.class);
        assertEquals(1.0, request.speed());
        assertEquals(0.5, request.vol());
        assertEquals(-2, request.pitch());
        assertEquals(24000, request.sampleRate());
        assertEquals(128000, request.bitrate());
        assertEquals(false, request.englishNormalization());
        assertEquals(true, request.lyricsOptimizer());
    }

    @Test
    void fieldNamesMatchCaseInsensitivelyLikeTheReference() throws JsonProcessingException {
        VideoRequest request = video("{\"Model\":\"sora-2\",\"NEGATIVE_PROMPT\":\"n\"}");
        assertEquals("sora-2", request.model());
        assertEquals("n", request.negativePrompt());
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"seconds\": 4}",
            "{\"duration\": \"4\"}",
            "{\"model\": 5}",
            "{\"keep_audio\": \"true\"}",
            "{\"keep_audio\": 1}",
            "{\"duration\": 4.5}",
            "{\"duration\": true}",
            "{\"multi_shot\": true}",
            "{\"prompt\": {\"a\": 1}}",
            "{\"prompt\": [\"a\"]}",
            "{\"images\": \"u\"}",
            "{\"images\": [1]}",
            "{\"multi_prompt\": \"x\"}",
            "{\"elements\": {}}",
            "{\"extra\": \"x\"}",
            "{\"extra\": [1]}",
            "{\"seed\": \"1\"}",
            "[]",
            "{\"prompt\": \"p\""
    })
    void wrongJsonTypesFailVideoDecoding(String json) {
        assertThrows(JsonProcessingException.class, () -> video(json));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"speed\": \"1.0\"}",
            "{\"pitch\": 1.5}",
            "{\"english_normalization\": \"false\"}",
            "{\"input\": 12}",
            "{\"voice\": false}"
    })
    void wrongJsonTypesFailAudioDecoding(String json) {
        assertThrows(JsonProcessingException.class, () -> MAPPER.readValue(json, AudioRequest.class));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"n\": \"2\"}",
            "{\"web_search\": \"yes\"}",
            "{\"size\": 1024}",
            "{\"n\": 2.0}"
    })
    void wrongJsonTypesFailImageDecoding(String json) {
        assertThrows(JsonProcessingException.class, () -> MAPPER.readValue(json, ImageRequest.class));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"images\": [true]}",
            "{\"image\": [\"u\"]}",
            "{\"mask\": 1}",
            "{\"seed\": 1.5}"
    })
    void wrongJsonTypesFailEditDecoding(String json) {
        assertThrows(JsonProcessingException.class, () -> MAPPER.readValue(json, EditRequest.class));
    }

    @Test
    void requestsAreConstructibleFromCode() {
        EditRequest request = new EditRequest("gpt-image-2-edit", "p", List.of("b", "c"), "a", null, null, null, null,
                2, null, null, null, null, null);
        assertEquals(List.of("a", "b", "c"), request.combinedImages());
    }
}
