package dev.cli2api.jobs;

import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.jboss.resteasy.reactive.server.multipart.FormValue;
import org.jboss.resteasy.reactive.server.multipart.MultipartFormDataInput;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.cli2api.api.ApiException;
import dev.cli2api.api.JsonBodies;
import dev.cli2api.generation.DataUris;

/**
 * Turns a multipart job POST (how the OpenAI SDKs always send {@code videos.create}; music accepts the same) into the
 * JSON object the JSON route decodes: each text part typed by the request record's component of that JSON name
 * (integers, decimals, booleans, JSON values, string arrays), the first of repeated parts of a single field (as image
 * edits read a form, spec §1.13), repeated {@code name[]} parts as arrays,
 * {@code input_reference[image_url]} as {@code input_reference}, and an uploaded file as a {@code data:} URI (at most
 * 20 MiB, as for image edits: {@link DataUris#fromUpload}). Any other nested field ({@code extra[model]}) is a 400.
 */
final class JobForm {

    private enum Type { TEXT, INTEGER, DECIMAL, BOOLEAN, JSON, STRING_ARRAY }

    private static final Map<Class<?>, Map<String, Type>> SCHEMAS = new ConcurrentHashMap<>();

    private JobForm() {
    }

    /** The form as the JSON body of {@code schema} (a request record with {@code @JsonProperty} components). */
    static ObjectNode toJson(ObjectMapper json, MultipartFormDataInput form, Class<? extends Record> schema) {
        Map<String, Type> types = SCHEMAS.computeIfAbsent(schema, JobForm::schemaOf);
        ObjectNode out = json.createObjectNode();
        for (Map.Entry<String, Collection<FormValue>> part : form.getValues().entrySet()) {
            if (part.getKey() == null || part.getKey().isEmpty()) {
                continue; // a part with no name names no field (Go's form reader skips it too)
            }
            String name = fieldName(part.getKey());
            Type type = types.getOrDefault(name, Type.TEXT);
            for (FormValue value : part.getValue()) {
                if (type != Type.STRING_ARRAY && out.has(name)) {
                    break; // the first value of a field counts, as for image edits (spec §1.13) and Go's FormValue
                }
                String text = value.isFileItem() ? DataUris.fromUpload(value) : value.getValue();
                if (type == Type.STRING_ARRAY) {
                    JsonNode existing = out.get(name);
                    ArrayNode array = existing instanceof ArrayNode a ? a : out.putArray(name);
                    array.add(text);
                } else {
                    out.set(name, typed(json, name, type, text));
                }
            }
        }
        return out;
    }

    private static String fieldName(String key) {
        if (key.equals("input_reference[image_url]")) {
            return "input_reference";
        }
        String name = key.endsWith("[]") ? key.substring(0, key.length() - 2) : key;
        if (name.indexOf('[') >= 0) {
            // how the SDKs encode an object or a list of objects in a form (extra[model], multi_prompt[][prompt],
            // input_reference[file_id]): every value is text, so the JSON it stood for cannot be told back, and
            // ignoring it as an unknown field sent the job upstream without it (another model billed, say)
            throw ApiException.invalidRequest("multipart: field \"" + key + "\" is not supported: a form cannot "
                    + "carry nested fields here; send this request as JSON");
        }
        return name;
    }

    /** The JSON type of each component of {@code schema}, by its JSON name. */
    private static Map<String, Type> schemaOf(Class<?> schema) {
        Map<String, Type> types = new HashMap<>();
        for (RecordComponent c : schema.getRecordComponents()) {
            // @JsonProperty does not target record components: Java puts it on the accessor
            JsonProperty property = c.getAccessor().getAnnotation(JsonProperty.class);
            String name = property == null ? c.getName() : property.value();
            Class<?> t = c.getType();
            types.put(name, t == Integer.class || t == Long.class ? Type.INTEGER
                    : t == Double.class || t == Float.class ? Type.DECIMAL
                    : t == Boolean.class ? Type.BOOLEAN
                    : List.class.isAssignableFrom(t) ? Type.STRING_ARRAY
                    : JsonNode.class.isAssignableFrom(t) ? Type.JSON
                    : Type.TEXT);
        }
        return types;
    }

    /** Numbers, booleans and JSON fields arrive as text; a value that does not parse stays text (a 400 later). */
    private static JsonNode typed(ObjectMapper json, String name, Type type, String text) {
        try {
            switch (type) {
                case INTEGER -> {
                    return json.getNodeFactory().numberNode(Long.parseLong(text.trim()));
                }
                case DECIMAL -> {
                    return json.getNodeFactory().numberNode(new BigDecimal(text.trim()));
                }
                case BOOLEAN -> {
                    if (text.equals("true") || text.equals("false")) {
                        return json.getNodeFactory().booleanNode(Boolean.parseBoolean(text));
                    }
                }
                case JSON -> {
                    JsonNode tree = JsonBodies.withoutLoneSurrogates(json.readTree(text));
                    JsonBodies.requireFinite(tree, name);
                    return tree;
                }
                default -> {
                }
            }
        } catch (NumberFormatException | IOException e) {
            // falls through: the decoder reports the type mismatch
        }
        return json.getNodeFactory().textNode(text);
    }
}
