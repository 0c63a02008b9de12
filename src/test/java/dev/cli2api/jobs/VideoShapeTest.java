package dev.cli2api.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.cli2api.catalog.GenerationModel;
import dev.cli2api.catalog.ModelCatalog;
import dev.cli2api.catalog.VideoRequest;

/** The {@code seconds}/{@code size} a video job shows, through the real catalog's mappers. */
class VideoShapeTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ModelCatalog CATALOG = new ModelCatalog();

    @ParameterizedTest(name = "{0} {1} -> seconds={2} size={3}")
    @CsvSource(delimiter = '|', nullValues = "null", value = {
            // Sora 2: what was asked for, else OpenAI's documented defaults
            "sora-2     | {}                                      | 4    | 720x1280",
            "sora-2-pro | {}                                      | 4    | 720x1280",
            "sora-2     | {\"seconds\":\"12\",\"size\":\"1280x720\"} | 12   | 1280x720",
            "sora-2     | {\"seconds\":\"8\"}                      | 8    | 720x1280",
            // Sora's mapper ignores duration: the video is the default length, not the duration asked for
            "sora-2     | {\"duration\":8}                         | 4    | 720x1280",
            // extra reaches the upstream body, so it decides
            "sora-2     | {\"extra\":{\"seconds\":\"8\"}}           | 8    | 720x1280",
            // the legacy sora model's defaults are not documented: unknown unless asked for
            "sora       | {}                                      | null | null",
            "sora       | {\"seconds\":\"8\",\"size\":\"480x480\"}   | 8    | 480x480",
            // duration-based models: the duration sent upstream, in seconds; no default is guessed
            "kling-v2.1-master-text-to-video | {\"duration\":10}  | 10   | null",
            "kling-v2.1-master-text-to-video | {}                 | null | null",
            // Kling gets no seconds field, so a seconds the request sent does not decide the length
            "kling-v2.1-master-text-to-video | {\"seconds\":\"5\"} | null | null",
            "veo-3.1    | {\"duration\":8,\"size\":\"1280x720\"}   | 8    | 1280x720",
    })
    void showsWhatReachesTheUpstreamElseTheKnownDefault(String model, String fields, String seconds, String size)
            throws JsonProcessingException {
        ObjectNode body = (ObjectNode) JSON.readTree(fields);
        body.put("model", model).put("prompt", "a paper boat");
        VideoRequest request = JSON.treeToValue(body, VideoRequest.class);
        GenerationModel<VideoRequest> registered = CATALOG.forVideo(model).orElseThrow();

        VideoShape shape = VideoShape.of(model, request.size(), registered.map(request));

        assertEquals(new VideoShape(seconds, size), shape);
        ObjectNode echo = JSON.createObjectNode();
        shape.into(echo);
        assertEquals(seconds == null, !echo.has("seconds"));
        assertEquals(size == null, !echo.has("size"));
    }
}
