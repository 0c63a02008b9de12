package dev.cli2api.catalog;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The JSON body shared by {@code POST /v1/audio/speech} and {@code POST /v1/audio/music}, with both the OpenAI
 * names ({@code input}, {@code voice}) and the MuleRun aliases; a {@code null} component means the field was not sent.
 */
public record AudioRequest(
        @JsonProperty("model") String model,
        @JsonProperty("input") String input,
        @JsonProperty("prompt") String prompt,
        @JsonProperty("voice") String voice,
        @JsonProperty("voice_id") String voiceId,
        @JsonProperty("response_format") String responseFormat,
        @JsonProperty("audio_format") String audioFormat,
        @JsonProperty("speed") Double speed,
        @JsonProperty("vol") Double vol,
        @JsonProperty("pitch") Integer pitch,
        @JsonProperty("emotion") String emotion,
        @JsonProperty("language_boost") String languageBoost,
        @JsonProperty("sample_rate") Integer sampleRate,
        @JsonProperty("bitrate") Integer bitrate,
        @JsonProperty("english_normalization") Boolean englishNormalization,
        @JsonProperty("lyrics_prompt") String lyricsPrompt,
        @JsonProperty("lyrics_optimizer") Boolean lyricsOptimizer,
        @JsonProperty("extra") ObjectNode extra) {
}
