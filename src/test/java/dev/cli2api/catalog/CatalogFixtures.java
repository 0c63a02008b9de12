package dev.cli2api.catalog;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Comparator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.cli2api.api.JsonSupport;

/** Parses test requests with the service's JSON rules and compares upstream bodies as JSON values. */
final class CatalogFixtures {

    static final ModelCatalog CATALOG = new ModelCatalog();

    private static final ObjectMapper MAPPER = JsonSupport.newMapper();

    /** Numbers are equal when both are integral (or both fractional) and have the same value. */
    private static final Comparator<JsonNode> SAME_JSON = (left, right) -> {
        if (left.isNumber() && right.isNumber()) {
            boolean sameKind = left.isIntegralNumber() == right.isIntegralNumber();
            return sameKind && left.decimalValue().compareTo(right.decimalValue()) == 0 ? 0 : 1;
        }
        return left.equals(right) ? 0 : 1;
    };

    private CatalogFixtures() {
    }

    /** JSON written with single quotes for readability. */
    static String json(String singleQuoted) {
        return singleQuoted.replace('\'', '"');
    }

    static <T> T parse(String singleQuoted, Class<T> type) {
        try {
            return MAPPER.readValue(json(singleQuoted), type);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    static ObjectNode mapImage(String model, String request) {
        return CATALOG.forImageGeneration(model).orElseThrow().map(parse(request, ImageRequest.class));
    }

    static ObjectNode mapEdit(String model, String request) {
        return CATALOG.forImageEdit(model).orElseThrow().map(parse(request, EditRequest.class));
    }

    static ObjectNode mapSpeech(String model, String request) {
        return CATALOG.forSpeech(model).orElseThrow().map(parse(request, AudioRequest.class));
    }

    static ObjectNode mapMusic(String model, String request) {
        return CATALOG.forMusic(model).orElseThrow().map(parse(request, AudioRequest.class));
    }

    static ObjectNode mapVideo(String model, String request) {
        return CATALOG.forVideo(model).orElseThrow().map(parse(request, VideoRequest.class));
    }

    /** Asserts {@code actual} is exactly the JSON object {@code expected} (single-quoted), key order aside. */
    static void assertBody(String expected, ObjectNode actual) {
        JsonNode want = parse(expected, JsonNode.class);
        assertTrue(want.equals(SAME_JSON, actual), () -> "expected " + want + " but was " + actual);
    }
}
