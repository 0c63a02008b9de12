package dev.cli2api.jobs;

import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The {@code seconds} and {@code size} a video job shows (OpenAI's Videos object), decided once when the job is
 * queued: what the request asked for as far as it reaches MuleRun, else the upstream's own default where it is known.
 * <ul>
 * <li>{@code seconds}: the upstream body's {@code seconds} (Sora), else its {@code duration} in seconds (Veo, Kling,
 * Wan, …), else the model's default, else unknown (null). A request field the model's mapper does not send (Sora's
 * {@code duration}, say) does not decide the length, so it is not shown as if it did.</li>
 * <li>{@code size}: the request's {@code size}, else the model's default, else unknown (null).</li>
 * </ul>
 * The known defaults are OpenAI's for the models of its Videos API (4 seconds, 720x1280), whose MuleRun vendor
 * endpoints receive the same fields; the typed OpenAI SDKs treat both fields as required, so their callers can read
 * them without having set them.
 */
record VideoShape(String seconds, String size) {

    /** OpenAI's Videos API defaults: "Defaults to 4 seconds", "Defaults to 720x1280". */
    private static final VideoShape OPENAI_DEFAULTS = new VideoShape("4", "720x1280");
    /** A model whose upstream defaults are not known. */
    private static final VideoShape UNKNOWN = new VideoShape(null, null);

    private static final Map<String, VideoShape> DEFAULTS = Map.of("sora-2", OPENAI_DEFAULTS, "sora-2-pro",
            OPENAI_DEFAULTS);

    /** The shape of a job of {@code model} whose request asked for {@code requestedSize} and maps to {@code upstream}. */
    static VideoShape of(String model, String requestedSize, ObjectNode upstream) {
        VideoShape defaults = DEFAULTS.getOrDefault(model, UNKNOWN);
        JsonNode seconds = upstream.path("seconds");
        JsonNode duration = upstream.path("duration");
        String shownSeconds = seconds.isTextual() ? seconds.textValue()
                : duration.isIntegralNumber() ? duration.asText() : defaults.seconds();
        return new VideoShape(shownSeconds, requestedSize != null ? requestedSize : defaults.size());
    }

    /** Puts the known fields into {@code echo} (the stored request echo the job GETs read). */
    void into(ObjectNode echo) {
        if (seconds != null) {
            echo.put("seconds", seconds);
        }
        if (size != null) {
            echo.put("size", size);
        }
    }
}
