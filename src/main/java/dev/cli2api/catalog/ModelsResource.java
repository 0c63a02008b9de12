package dev.cli2api.catalog;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonProperty;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** {@code GET /v1/models}: the 61 generation models then the 15 chat ids, always in the same order. */
@Path("/v1/models")
public class ModelsResource {

    private final ModelList list;

    public ModelsResource(ModelCatalog catalog) {
        this.list = new ModelList("list", catalog.listed());
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public ModelList list() {
        return list;
    }

    /** The OpenAI list object. */
    public record ModelList(@JsonProperty("object") String object, @JsonProperty("data") List<ListedModel> data) {
    }
}
