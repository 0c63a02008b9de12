package dev.cli2api.upstream;

import java.net.ConnectException;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Reads MuleRun job answers leniently (an empty body is no body) and describes transport failures safely. */
final class UpstreamJson {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private UpstreamJson() {
    }

    /** A body that is present but not JSON. */
    static final class DecodeException extends Exception {
        DecodeException(String message) {
            super(message, null, false, false);
        }
    }

    static Optional<JsonNode> parse(String body) throws DecodeException {
        if (body == null || body.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(MAPPER.readTree(body));
        } catch (JsonProcessingException e) {
            String message = e.getOriginalMessage();
            int nl = message == null ? -1 : message.indexOf('\n');
            throw new DecodeException(message == null ? "malformed JSON" : nl < 0 ? message : message.substring(0, nl));
        }
    }

    /** The innermost useful message of a transport failure (never contains request headers). */
    static String describe(Throwable failure) {
        Throwable t = failure;
        while (t.getCause() != null && t.getCause() != t
                && (t.getMessage() == null || t instanceof jakarta.ws.rs.ProcessingException)) {
            t = t.getCause();
        }
        String message = t.getMessage();
        return message == null || message.isBlank() ? t.getClass().getSimpleName() : message;
    }

    static boolean refused(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ConnectException) {
                return true;
            }
        }
        return false;
    }
}
