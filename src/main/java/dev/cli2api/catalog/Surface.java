package dev.cli2api.catalog;

/** The generation endpoint that accepts a registered model. */
public enum Surface {
    /** {@code POST /v1/images/generations}. */
    IMAGE_GENERATION,
    /** {@code POST /v1/images/edits}. */
    IMAGE_EDIT,
    /** {@code POST /v1/audio/speech}. */
    SPEECH,
    /** {@code POST /v1/audio/music}. */
    MUSIC,
    /** {@code POST /v1/videos}. */
    VIDEO
}
