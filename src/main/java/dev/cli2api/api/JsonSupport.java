package dev.cli2api.api;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.deser.std.NumberDeserializers;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.type.LogicalType;

import io.quarkus.jackson.ObjectMapperCustomizer;
import jakarta.inject.Singleton;

/**
 * The one set of JSON rules for request bodies: unknown fields are ignored, field names match
 * case-insensitively, and a value of the wrong JSON type is an error (no "4" → 4 coercion), so a
 * mismatched type becomes a 400 as in the reference. A string may be as long as a body may be: Jackson's own limit of
 * 20,000,000 characters refused data URIs of images from about 14 MiB (base64 grows a file by a third) that the
 * 20 MiB upload limit and the 64 MiB body limit allow.
 */
@Singleton
public class JsonSupport implements ObjectMapperCustomizer {

    @Override
    public void customize(ObjectMapper mapper) {
        configure(mapper);
    }

    /**
     * {@code value} written by {@code mapper} as UTF-8 bytes. Large values go this way rather than through
     * {@code toString} or {@code writeValueAsString}, which write through chars and a {@code StringBuilder}: five times
     * a long string's size in transient heap. Characters outside the BMP are written as themselves, as the char
     * writers do (Jackson's UTF-8 writer would escape each as a surrogate pair).
     */
    public static byte[] utf8(ObjectMapper mapper, Object value) {
        try {
            return mapper.writer().with(JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8).writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            // JSON trees and records written to a byte buffer have nothing to fail on
            throw new IllegalStateException("a JSON value could not be written", e);
        }
    }

    /** {@code value} as JSON text, written as {@link #utf8} writes it. */
    public static String text(ObjectMapper mapper, Object value) {
        return new String(utf8(mapper, value), StandardCharsets.UTF_8);
    }

    /** Applies the request-body rules to {@code mapper} and returns it. */
    public static ObjectMapper configure(ObjectMapper mapper) {
        mapper.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                .maxStringLength((int) BodyLimit.MAX_BYTES)
                .build());
        mapper.registerModule(new SimpleModule("cli2api-finite-numbers")
                .addDeserializer(Double.class, new FiniteDouble(Double.class, null))
                .addDeserializer(Double.TYPE, new FiniteDouble(Double.TYPE, 0.0)));
        mapper.configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
        mapper.configure(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES, true);
        mapper.configure(DeserializationFeature.ACCEPT_FLOAT_AS_INT, false);
        mapper.configure(MapperFeature.ACCEPT_CASE_INSENSITIVE_PROPERTIES, true);
        mapper.configure(MapperFeature.ALLOW_COERCION_OF_SCALARS, false);
        for (LogicalType type : new LogicalType[] { LogicalType.Integer, LogicalType.Float, LogicalType.Boolean,
                LogicalType.Textual }) {
            mapper.coercionConfigFor(type)
                    .setCoercion(CoercionInputShape.String, type == LogicalType.Textual ? CoercionAction.TryConvert
                            : CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Integer, type == LogicalType.Integer || type == LogicalType.Float
                            ? CoercionAction.TryConvert
                            : CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Float, type == LogicalType.Float ? CoercionAction.TryConvert
                            : CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Boolean, type == LogicalType.Boolean ? CoercionAction.TryConvert
                            : CoercionAction.Fail);
        }
        return mapper;
    }

    /**
     * A double that a JSON number too large for it ({@code 1e400}) makes infinite is a type error, as in Go's decoder
     * (JSON has no literal for infinity, so an infinite value can only be an overflow): without this, a speech
     * request's {@code "speed": 1e400} went upstream as {@code Infinity}.
     */
    static final class FiniteDouble extends NumberDeserializers.DoubleDeserializer {

        FiniteDouble(Class<Double> type, Double nullValue) {
            super(type, nullValue);
        }

        @Override
        public Double deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            Double value = super.deserialize(p, ctxt);
            if (value != null && value.isInfinite()) {
                throw InvalidFormatException.from(p, "number " + p.getText() + " is out of range for a double",
                        p.getText(), Double.class);
            }
            return value;
        }
    }

    /** A new mapper with the request-body rules, for plain unit tests and code outside CDI. */
    public static ObjectMapper newMapper() {
        return configure(new ObjectMapper().findAndRegisterModules());
    }
}
