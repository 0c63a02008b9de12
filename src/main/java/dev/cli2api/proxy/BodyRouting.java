package dev.cli2api.proxy;

import java.util.Locale;
import java.util.Optional;

import dev.cli2api.api.BodyLimit;
import dev.cli2api.catalog.ModelCatalog;
import jakarta.inject.Singleton;

/**
 * Spec §1.9 steps 2–5 for chat and responses: gzip decoding with the decoded-size cap, bypass for
 * other encodings, and vendor-prefix routing that splices only the {@code model} value.
 */
@Singleton
public class BodyRouting {

    private static final String OPENAI = "openai";

    private final ModelCatalog catalog;

    public BodyRouting(ModelCatalog catalog) {
        this.catalog = catalog;
    }

    /**
     * Where and what to send for {@code body} received on {@code surface} with {@code contentEncoding} (may be null).
     *
     * @throws dev.cli2api.api.ApiException for an undecodable or oversized gzip body
     */
    Outbound plan(ProxySurface surface, String contentEncoding, byte[] body) {
        String encoding = contentEncoding == null ? "" : contentEncoding.trim().toLowerCase(Locale.ROOT);
        boolean identity = encoding.isEmpty() || encoding.equals("identity");
        if (!surface.inspectsBody()) {
            Optional<String> model = identity ? ModelField.find(body).map(ModelField::value) : Optional.empty();
            return new Outbound(surface.upstreamPath(), body, false, model);
        }
        boolean gzip = encoding.equals("gzip");
        if (!identity && !gzip) {
            // other encodings are forwarded untouched and uninspected (spec §1.9 step 2)
            return new Outbound(surface.upstreamPath(), body, false, Optional.empty());
        }
        byte[] plain = gzip ? GzipBody.decode(body, BodyLimit.MAX_BYTES) : body;
        Optional<ModelField> field = ModelField.find(plain);
        Optional<String> model = field.map(ModelField::value);
        Optional<String> vendor = field.flatMap(ModelField::vendor);
        Optional<String> vendorPath = vendor.flatMap(catalog::chatVendorPath);
        if (vendorPath.isEmpty() || (surface == ProxySurface.RESPONSES && !OPENAI.equals(vendor.get()))) {
            return new Outbound(surface.upstreamPath(), plain, gzip, model);
        }
        String path = surface == ProxySurface.CHAT ? vendorPath.get() : surface.upstreamPath();
        return new Outbound(path, field.get().replaceIn(plain, field.get().suffix()), gzip, model);
    }
}
