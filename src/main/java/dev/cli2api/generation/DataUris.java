package dev.cli2api.generation;

import java.util.Base64;

/**
 * Builds {@code data:<type>;base64,<bytes>} URIs for uploaded files, sniffing the type from the bytes when the part
 * declared none or {@code application/octet-stream} (as SDKs do for untyped files).
 */
final class DataUris {

    private DataUris() {
    }

    static String of(String declaredType, byte[] bytes) {
        String type = declaredType == null ? "" : declaredType.trim();
        if (type.isEmpty() || type.equalsIgnoreCase("application/octet-stream")) {
            type = sniff(bytes);
        }
        return "data:" + type + ";base64," + Base64.getEncoder().encodeToString(bytes);
    }

    /** The image type whose signature starts {@code bytes}, else {@code application/octet-stream}. */
    static String sniff(byte[] b) {
        if (startsWith(b, 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A)) {
            return "image/png";
        }
        if (startsWith(b, 0xFF, 0xD8, 0xFF)) {
            return "image/jpeg";
        }
        if (startsWith(b, 'G', 'I', 'F', '8', '7', 'a') || startsWith(b, 'G', 'I', 'F', '8', '9', 'a')) {
            return "image/gif";
        }
        if (startsWith(b, 'R', 'I', 'F', 'F') && b.length >= 12 && b[8] == 'W' && b[9] == 'E' && b[10] == 'B'
                && b[11] == 'P') {
            return "image/webp";
        }
        if (startsWith(b, 'B', 'M')) {
            return "image/bmp";
        }
        return "application/octet-stream";
    }

    private static boolean startsWith(byte[] bytes, int... signature) {
        if (bytes.length < signature.length) {
            return false;
        }
        for (int i = 0; i < signature.length; i++) {
            if ((bytes[i] & 0xFF) != signature[i]) {
                return false;
            }
        }
        return true;
    }
}
