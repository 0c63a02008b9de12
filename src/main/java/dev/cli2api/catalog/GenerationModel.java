package dev.cli2api.catalog;

import java.util.Objects;
import java.util.function.Function;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One registered generation model: its vendor, the MuleRun path jobs are submitted to (and polled under as
 * {@code <vendorPath>/<task_id>}), and the mapper that turns an inbound request of type {@code R} into the upstream
 * body.
 */
public final class GenerationModel<R> {

    private final String id;
    private final String vendor;
    private final Surface surface;
    private final String vendorPath;
    private final Function<R, ObjectNode> mapper;

    GenerationModel(String id, String vendor, Surface surface, String vendorPath, Function<R, ObjectNode> mapper) {
        this.id = Objects.requireNonNull(id);
        this.vendor = Objects.requireNonNull(vendor);
        this.surface = Objects.requireNonNull(surface);
        this.vendorPath = Objects.requireNonNull(vendorPath);
        this.mapper = Objects.requireNonNull(mapper);
    }

    /** The public model id clients send, e.g. {@code sora-2}. */
    public String id() {
        return id;
    }

    /** The vendor, e.g. {@code openai}. */
    public String vendor() {
        return vendor;
    }

    /** The endpoint that accepts this model. */
    public Surface surface() {
        return surface;
    }

    /** The MuleRun submit path, e.g. {@code /vendors/openai/v1/sora-2/generation}. */
    public String vendorPath() {
        return vendorPath;
    }

    /** The {@code owned_by} value of {@code /v1/models}: {@code mulerun:<vendor>}. */
    public String ownedBy() {
        return "mulerun:" + vendor;
    }

    /** A fresh upstream body for {@code request}, {@code extra} already applied. */
    public ObjectNode map(R request) {
        return mapper.apply(request);
    }

    @Override
    public String toString() {
        return id + " (" + surface + ", " + vendorPath + ")";
    }
}
