package dev.cli2api.generation;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import org.jboss.resteasy.reactive.server.multipart.FormValue;
import org.jboss.resteasy.reactive.server.multipart.MultipartFormDataInput;

import dev.cli2api.catalog.EditRequest;

/**
 * Reads a multipart image edit (spec §1.13 plus the SDK's {@code image[]}) into an {@link EditRequest}: text fields
 * by first value, every image file part as a data URI, the mask from a file part or else a text field.
 */
final class MultipartEdits {

    /** File parts read as images, in this order. */
    private static final List<String> IMAGE_FIELDS = List.of("image", "image[]", "images[]", "images");

    private MultipartEdits() {
    }

    /** Reads the form; reads uploaded files from memory or disk, so it runs on a worker thread. */
    static EditRequest read(MultipartFormDataInput input) {
        var values = input.getValues();
        List<String> images = new ArrayList<>();
        for (String field : IMAGE_FIELDS) {
            for (FormValue value : values.getOrDefault(field, List.of())) {
                if (value.isFileItem()) {
                    images.add(DataUris.fromUpload(value));
                }
            }
        }
        Collection<FormValue> masks = values.getOrDefault("mask", List.of());
        String mask = masks.stream().filter(FormValue::isFileItem).findFirst().map(DataUris::fromUpload)
                .orElseGet(() -> text(input, "mask"));
        return new EditRequest(text(input, "model"), text(input, "prompt"), images, null, mask, text(input, "size"),
                text(input, "aspect_ratio"), text(input, "resolution"), integer(text(input, "n")), text(input, "format"),
                text(input, "quality"), null, text(input, "negative_prompt"), null);
    }

    /** The first text value of {@code field}, or null. */
    static String text(MultipartFormDataInput input, String field) {
        return input.getValues().getOrDefault(field, List.of()).stream()
                .filter(value -> !value.isFileItem())
                .findFirst().map(FormValue::getValue).orElse(null);
    }

    private static Integer integer(String value) {
        if (value == null) {
            return null;
        }
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
