package dev.cli2api.proxy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.core.json.UTF8StreamJsonParser;

import dev.cli2api.api.JsonBodies;

/**
 * The top-level {@code model} string of a JSON object body and where its value lies in the bytes, so
 * that it can be replaced without touching a single other byte (key order, whitespace, big numbers).
 */
record ModelField(String value, int start, int end) {

    // Bodies are capped at 64 MiB elsewhere; Jackson's default limits must not veto a valid body.
    private static final JsonFactory JSON = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxStringLength(Integer.MAX_VALUE)
                    .maxNumberLength(Integer.MAX_VALUE)
                    .maxNestingDepth(10_000)
                    .build())
            .build();

    /**
     * The last top-level string {@code model} of {@code body}; empty unless the body is one valid JSON object in UTF-8
     * without a byte order mark, as Go's decoder reads JSON. Jackson would also read UTF-16 and UTF-32 (and skip a
     * BOM), whose byte offsets it does not report: a UTF-16 body naming {@code openai/…} was refused with a 400 showing
     * an {@code IndexOutOfBoundsException}'s message instead of being forwarded untouched.
     */
    static Optional<ModelField> find(byte[] body) {
        if (body.length >= 3 && (body[0] & 0xff) == 0xef && (body[1] & 0xff) == 0xbb && (body[2] & 0xff) == 0xbf) {
            return Optional.empty();
        }
        try (JsonParser parser = JSON.createParser(body)) {
            if (!(parser instanceof UTF8StreamJsonParser) || parser.nextToken() != JsonToken.START_OBJECT) {
                return Optional.empty();
            }
            ModelField found = null;
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                boolean isModel = "model".equals(parser.currentName());
                JsonToken value = parser.nextToken();
                if (isModel) {
                    found = null;
                    if (value == JsonToken.VALUE_STRING) {
                        int start = (int) parser.currentTokenLocation().getByteOffset();
                        String text = parser.getText();
                        found = new ModelField(text, start, (int) parser.currentLocation().getByteOffset());
                    }
                } else {
                    parser.skipChildren();
                }
            }
            if (parser.currentToken() != JsonToken.END_OBJECT || parser.nextToken() != null) {
                return Optional.empty();
            }
            return Optional.ofNullable(found);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /**
     * {@code body} with this field's value replaced by the JSON string {@code replacement}, in which a lone UTF-16
     * surrogate (from a {@code \\uD800} escape) is written as U+FFFD, as Go's decoder reads it (the encoder refuses it).
     */
    byte[] replaceIn(byte[] body, String replacement) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(body.length + replacement.length());
        out.write(body, 0, start);
        out.write('"');
        out.writeBytes(JsonStringEncoder.getInstance().quoteAsUTF8(JsonBodies.withoutLoneSurrogates(replacement)));
        out.write('"');
        out.write(body, end, body.length - end);
        return out.toByteArray();
    }

    /** The vendor prefix of {@code openai/gpt-5.5}: empty without a slash inside the value (spec §1.9 step 4). */
    Optional<String> vendor() {
        int slash = value.indexOf('/');
        return slash > 0 && slash < value.length() - 1 ? Optional.of(value.substring(0, slash)) : Optional.empty();
    }

    /** The part after the vendor prefix. */
    String suffix() {
        return value.substring(value.indexOf('/') + 1);
    }
}
