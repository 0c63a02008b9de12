package dev.cli2api.jobs;

/** The two kinds of durable job, with what differs between them on the wire and in the store. */
public enum JobKind {

    VIDEO("video", "video_", "video", "videos", "video job not found: "),
    MUSIC("music", "audio_", "audio.job", "audios", "music job not found: ");

    private final String stored;
    private final String idPrefix;
    private final String object;
    private final String resultField;
    private final String notFound;

    JobKind(String stored, String idPrefix, String object, String resultField, String notFound) {
        this.stored = stored;
        this.idPrefix = idPrefix;
        this.object = object;
        this.resultField = resultField;
        this.notFound = notFound;
    }

    /** The {@code jobs.kind} value. */
    public String stored() {
        return stored;
    }

    /** The local id prefix, {@code video_} or {@code audio_}. */
    public String idPrefix() {
        return idPrefix;
    }

    /**
     * The {@code object} of the job's JSON: {@code video} (what the OpenAI SDKs expect, DESIGN decision 3; the
     * reference says {@code video.job}) and {@code audio.job}.
     */
    public String object() {
        return object;
    }

    /** The upstream result array and the client field holding the result URLs. */
    public String resultField() {
        return resultField;
    }

    /** The 404 message for {@code id}. */
    public String notFoundMessage(String id) {
        return notFound + id;
    }

    static JobKind fromStored(String value) {
        return value.equals(MUSIC.stored) ? MUSIC : VIDEO;
    }
}
