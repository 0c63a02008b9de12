package dev.cli2api.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;

/** Path templates match segment by segment; {@code {name}} matches one non-empty segment. */
class ApiRouteTest {

    private static ApiRoute route(String template) {
        return new ApiRoute(template, Set.of("GET"), ErrorStyle.OPENAI, true, BodyLimit.TOO_LARGE_413);
    }

    @Test
    void literalTemplatesMatchOnlyTheSamePath() {
        ApiRoute models = route("/v1/models");
        assertTrue(models.matches("/v1/models"));
        assertFalse(models.matches("/v1/models/"));
        assertFalse(models.matches("/v1/model"));
        assertFalse(models.matches("/v1/modelsx"));
        assertFalse(models.matches("/v1"));
        assertFalse(models.matches("/v1/models/x"));
        assertFalse(models.matches("v1/models"));
        assertFalse(models.matches(""));
        assertFalse(models.matches("/V1/models"));
    }

    @Test
    void aVariableMatchesExactlyOneNonEmptySegment() {
        ApiRoute video = route("/v1/videos/{id}");
        assertTrue(video.matches("/v1/videos/video_abc"));
        assertTrue(video.matches("/v1/videos/{id}"));
        assertFalse(video.matches("/v1/videos/"));
        assertFalse(video.matches("/v1/videos"));
        assertFalse(video.matches("/v1/videos/a/b"));
        assertFalse(video.matches("/v1/videos//"));
        assertFalse(video.matches("/v1/videosx/a"));

        ApiRoute content = route("/v1/videos/{id}/content");
        assertTrue(content.matches("/v1/videos/v1/content"));
        assertFalse(content.matches("/v1/videos//content"));
        assertFalse(content.matches("/v1/videos/v1/contents"));
        assertFalse(content.matches("/v1/videos/v1/content/"));
    }

    @Test
    void theRootTemplateMatchesOnlyTheRoot() {
        ApiRoute root = route("/");
        assertTrue(root.matches("/"));
        assertFalse(root.matches("//"));
        assertFalse(root.matches("/x"));
    }

    @Test
    void theTableFindsTheRouteOfAPath() {
        assertEquals(Optional.of("/v1/videos/{id}"), ApiRoutes.match("/v1/videos/video_x").map(ApiRoute::template));
        assertEquals(Optional.of("/v1/videos/{id}/content"),
                ApiRoutes.match("/v1/videos/video_x/content").map(ApiRoute::template));
        assertEquals(Optional.of("/v1/audio/music/{id}"),
                ApiRoutes.match("/v1/audio/music/audio_x").map(ApiRoute::template));
        assertEquals(Optional.of("/v1/audio/music"), ApiRoutes.match("/v1/audio/music").map(ApiRoute::template));
        assertEquals(Optional.empty(), ApiRoutes.match("/v1/audio/music/audio_x/content"));
        assertEquals(Optional.empty(), ApiRoutes.match("/nope"));
    }

    @Test
    void aCallAbandonedBeforeItsAnswerIsA502OnlyWhereTheAnswerWaitsOnUpstream() {
        java.util.List<String> waiting = ApiRoutes.all().stream().filter(ApiRoute::answersAfterUpstream)
                .map(ApiRoute::template).toList();
        assertEquals(java.util.List.of("/v1/chat/completions", "/v1/responses", "/v1/messages",
                "/v1/images/generations", "/v1/images/edits", "/v1/audio/speech", "/v1/videos/{id}/content"), waiting);
        ApiRoute chat = ApiRoutes.match("/v1/chat/completions").orElseThrow();
        assertEquals(502, ApiEdge.recordedStatus(chat, false, true, 200));
        assertEquals(200, ApiEdge.recordedStatus(chat, true, true, 200));
        assertEquals(429, ApiEdge.recordedStatus(chat, true, true, 429));
        // gone while still sending its body: it never reached upstream (a regression: recorded as 502)
        assertEquals(400, ApiEdge.recordedStatus(chat, false, false, 200));
        ApiRoute models = ApiRoutes.match("/v1/models").orElseThrow();
        assertEquals(200, ApiEdge.recordedStatus(models, false, true, 200));
        ApiRoute videos = ApiRoutes.match("/v1/videos").orElseThrow();
        assertEquals(200, ApiEdge.recordedStatus(videos, false, true, 200));
        assertEquals(202, ApiEdge.recordedStatus(videos, true, true, 202));
        // gone mid-body on a route that answers without upstream (a regression: the unwritten answer's 200)
        assertEquals(400, ApiEdge.recordedStatus(videos, false, false, 200));
    }
}
