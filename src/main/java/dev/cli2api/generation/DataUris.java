package dev.cli2api.generation;

import java.io.IOException;
import java.io.InputStream;
import java.util.Base64;
import java.util.Optional;

import org.jboss.resteasy.reactive.server.multipart.FormValue;

import dev.cli2api.api.ApiException;

/**
 * Builds {@code data:<type>;base64,<bytes>} URIs for uploaded files, sniffing the type from the bytes when the part
 * declared none or {@code application/octet-stream} (as SDKs do for untyped files). The one reader of uploaded files:
 * image edits (spec §1.13) and the multipart job POSTs ({@code input_reference} and the like) share its 20 MiB limit.
 */
public final class DataUris {

    /** Largest accepted uploaded file: 20 MiB (spec §1.13). */
    public static final long MAX_FILE_BYTES = 20L * 1024 * 1024;

    private DataUris() {
    }

    /**
     * The uploaded file of {@code value} as a data URI: 413 {@code file "<name>" is <n> bytes; max is 20971520} when
     * it is larger than {@link #MAX_FILE_BYTES} (or {@code … exceeds 20971520 bytes} when that shows only while
     * reading), 400 {@code open uploaded file: …} / {@code read uploaded file: …} when it cannot be read. Reads from
     * memory or disk, so only on a worker thread.
     */
    public static String fromUpload(FormValue value) {
        String name = Optional.ofNullable(value.getFileName()).orElse("");
        long size;
        try {
            size = value.getFileItem().getFileSize();
        } catch (IOException e) {
            throw ApiException.invalidRequest("open uploaded file: " + e.getMessage());
        }
        if (size > MAX_FILE_BYTES) {
            throw tooLarge("file \"" + name + "\" is " + size + " bytes; max is " + MAX_FILE_BYTES);
        }
        byte[] bytes;
        try (InputStream in = value.getFileItem().getInputStream()) {
            bytes = in.readNBytes((int) MAX_FILE_BYTES + 1);
        } catch (IOException e) {
            throw ApiException.invalidRequest("read uploaded file: " + e.getMessage());
        }
        if (bytes.length > MAX_FILE_BYTES) {
            throw tooLarge("file \"" + name + "\" exceeds " + MAX_FILE_BYTES + " bytes");
        }
        return of(value.getHeaders().getFirst("Content-Type"), bytes);
    }

    private static ApiException tooLarge(String message) {
        return new ApiException(413, "invalid_request_error", message);
    }

    static String of(String declaredType, byte[] bytes) {
        String type = declaredType == null ? "" : declaredType.trim();
        if (type.isEmpty() || type.toLowerCase(java.util.Locale.ROOT).startsWith("application/octet-stream")) {
            type = sniff(bytes);
        }
        return "data:" + type + ";base64," + Base64.getEncoder().encodeToString(bytes);
    }

    /** The image or video type whose signature starts {@code bytes}, else {@code application/octet-stream}. */
    static String sniff(byte[] b) {
        if (startsWith(b, 0, 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A)) {
            return "image/png";
        }
        if (startsWith(b, 0, 0xFF, 0xD8, 0xFF)) {
            return "image/jpeg";
        }
        if (startsWith(b, 0, 'G', 'I', 'F', '8', '7', 'a') || startsWith(b, 0, 'G', 'I', 'F', '8', '9', 'a')) {
            return "image/gif";
        }
        if (startsWith(b, 0, 'R', 'I', 'F', 'F') && startsWith(b, 8, 'W', 'E', 'B', 'P')) {
            return "image/webp";
        }
        if (startsWith(b, 0, 'B', 'M')) {
            return "image/bmp";
        }
        if (startsWith(b, 4, 'f', 't', 'y', 'p')) {
            return "video/mp4";
        }
        return "application/octet-stream";
    }

    private static boolean startsWith(byte[] bytes, int offset, int... signature) {
        if (bytes.length < offset + signature.length) {
            return false;
        }
        for (int i = 0; i < signature.length; i++) {
            if ((bytes[offset + i] & 0xFF) != signature[i]) {
                return false;
            }
        }
        return true;
    }
}
