package dev.cli2api.catalog;

import com.fasterxml.jackson.annotation.JsonProperty;

/** One item of {@code GET /v1/models}: exactly {@code id}, {@code object} and {@code owned_by}. */
public record ListedModel(
        @JsonProperty("id") String id,
        @JsonProperty("object") String object,
        @JsonProperty("owned_by") String ownedBy) {

    /** The item for model {@code id} of {@code vendor}. */
    public static ListedModel of(String id, String vendor) {
        return new ListedModel(id, "model", "mulerun:" + vendor);
    }
}
