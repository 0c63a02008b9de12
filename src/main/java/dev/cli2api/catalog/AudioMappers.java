package dev.cli2api.catalog;

import static dev.cli2api.catalog.UpstreamBody.firstSet;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** The upstream body mappers of the MiniMax speech and music models. */
final class AudioMappers {

    private AudioMappers() {
    }

    /**
     * Speech: {@code prompt} always present, settings nested, and {@code output_format} forced to {@code url} after
     * {@code extra} so it cannot be overridden.
     */
    static ObjectNode speech(AudioRequest request) {
        UpstreamBody voice = UpstreamBody.create()
                .text("voice_id", firstSet(request.voiceId(), request.voice()))
                .number("speed", request.speed())
                .number("vol", request.vol())
                .number("pitch", request.pitch())
                .text("emotion", request.emotion())
                .text("language_boost", request.languageBoost());
        ObjectNode body = UpstreamBody.create()
                .always("prompt", firstSet(request.input(), request.prompt()))
                .object("voice_setting", voice)
                .object("audio_setting", audioSetting(request))
                .flag("english_normalization", request.englishNormalization())
                .finish(request.extra());
        body.put("output_format", "url");
        return body;
    }

    /** Music: {@code prompt} (falling back to {@code input}) only when non-empty; no {@code output_format}. */
    static ObjectNode music(AudioRequest request) {
        return UpstreamBody.create()
                .text("prompt", firstSet(request.prompt(), request.input()))
                .text("lyrics_prompt", request.lyricsPrompt())
                .flag("lyrics_optimizer", request.lyricsOptimizer())
                .object("audio_setting", audioSetting(request))
                .finish(request.extra());
    }

    /** {@code format} prefers {@code audio_format} over {@code response_format}. */
    private static UpstreamBody audioSetting(AudioRequest request) {
        return UpstreamBody.create()
                .text("format", firstSet(request.audioFormat(), request.responseFormat()))
                .number("sample_rate", request.sampleRate())
                .number("bitrate", request.bitrate());
    }
}
