package dev.cli2api.jobs;

import java.io.IOException;
import java.io.InputStream;
import java.util.Base64;
import java.util.Collection;
import java.util.Map;
import java.util.Set;

import org.jboss.resteasy.reactive.server.multipart.FormValue;
import org.jboss.resteasy.reactive.server.multipart.MultipartFormDataInput;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.cli2api.api.ApiException;

/**
 * Turns a multipart {@code POST /v1/videos} (how the OpenAI SDKs always send {@code videos.create}) into the JSON
 * object the JSON route decodes: text fields typed by the spec's schema, repeated {@code name[]} parts as arrays,
 * {@code input_reference[image_url]} as {@code input_reference}, and an uploaded file as a {@code data:} URI.
 */
final class VideoForm {

    private static final Set<String> INTEGERS = Set.of("duration", "seed");
    private static final Set<String> BOOLEANS = Set.of("generate_audio", "keep_audio");
    private static final Set<String> STRING_ARRAYS = Set.of("images", "reference_images");
    private static final Set<String> JSON_VALUES = Set.of("extra", "multi_prompt", "elements");

    private VideoForm() {
    }

    static ObjectNode toJson(ObjectMapper json, MultipartFormDataInput form) {
        ObjectNode out = json.createObjectNode();
        for (Map.Entry<String, Collection<FormValue>> part : form.getValues().entrySet()) {
            String name = fieldName(part.getKey());
            for (FormValue value : part.getValue()) {
                String text = value.isFileItem() ? dataUri(value) : value.getValue();
                if (STRING_ARRAYS.contains(name)) {
                    JsonNode existing = out.get(name);
                    ArrayNode array = existing instanceof ArrayNode a ? a : out.putArray(name);
                    array.add(text);
                } else {
                    out.set(name, typed(json, name, text));
                }
            }
        }
        return out;
    }

    private static String fieldName(String key) {
        if (key.equals("input_reference[image_url]")) {
            return "input_reference";
        }
        return key.endsWith("[]") ? key.substring(0, key.length() - 2) : key;
    }

    /** Numbers, booleans and JSON fields arrive as text; a value that does not parse stays text (a 400 later). */
    private static JsonNode typed(ObjectMapper json, String name, String text) {
        try {
            if (INTEGERS.contains(name)) {
                return json.getNodeFactory().numberNode(Long.parseLong(text.trim()));
            }
            if (BOOLEANS.contains(name) && (text.equals("true") || text.equals("false"))) {
                return json.getNodeFactory().booleanNode(Boolean.parseBoolean(text));
            }
            if (JSON_VALUES.contains(name)) {
                return json.readTree(text);
            }
        } catch (NumberFormatException | IOException e) {
            // falls through: the decoder reports the type mismatch
        }
        return json.getNodeFactory().textNode(text);
    }

    private static String dataUri(FormValue value) {
        byte[] bytes;
        try (InputStream in = value.getFileItem().getInputStream()) {
            bytes = in.readAllBytes();
        } catch (IOException e) {
            throw ApiException.invalidRequest("invalid multipart body: " + e.getMessage());
        }
        String declared = value.getHeaders().getFirst("Content-Type");
        String type = declared == null || declared.isBlank() || declared.startsWith("application/octet-stream")
                ? sniff(bytes)
                : declared;
        return "data:" + type + ";base64," + Base64.getEncoder().encodeToString(bytes);
    }

    /** The image or video type from the file's first bytes, for SDK files sent without a type. */
    static String sniff(byte[] b) {
        if (startsWith(b, 0, 0x89, 'P', 'N', 'G')) {
            return "image/png";
        }
        if (startsWith(b, 0, 0xFF, 0xD8, 0xFF)) {
            return "image/jpeg";
        }
        if (startsWith(b, 0, 'G', 'I', 'F', '8')) {
            return "image/gif";
        }
        if (startsWith(b, 0, 'R', 'I', 'F', 'F') && startsWith(b, 8, 'W', 'E', 'B', 'P')) {
            return "image/webp";
        }
        if (startsWith(b, 4, 'f', 't', 'y', 'p')) {
            return "video/mp4";
        }
        return "application/octet-stream";
    }

    private static boolean startsWith(byte[] bytes, int offset, int... expected) {
        if (bytes.length < offset + expected.length) {
            return false;
        }
        for (int i = 0; i < expected.length; i++) {
            if ((bytes[offset + i] & 0xff) != expected[i]) {
                return false;
            }
        }
        return true;
    }
}
