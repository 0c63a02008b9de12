package dev.cli2api.credentials;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Reads and atomically rewrites JSON credential files: a write goes to a unique
 * {@code .oauth_cache.*.tmp} file (mode 0600) in the target's directory (created 0700) and is
 * renamed over the target, so readers and concurrent writers only ever see a whole file.
 */
final class OAuthCacheFile {

    static final Set<PosixFilePermission> OWNER_READ_WRITE = PosixFilePermissions.fromString("rw-------");
    static final Set<PosixFilePermission> OWNER_ONLY_DIR = PosixFilePermissions.fromString("rwx------");

    /** Numbers in unknown keys survive a round trip exactly (no float rounding, no exponent form). */
    static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .nodeFactory(JsonNodeFactory.withExactBigDecimals(true))
            .enable(SerializationFeature.INDENT_OUTPUT)
            .build();

    private OAuthCacheFile() {
    }

    /** Reads a JSON object; empty when the file does not exist, an exception when it cannot be used. */
    static Optional<ObjectNode> readObject(Path file) throws IOException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        JsonNode node;
        try {
            node = JSON.readTree(bytes);
        } catch (JsonProcessingException e) {
            // Jackson's own message quotes the offending text, which may be a token: keep only the position
            throw new IOException("invalid JSON at line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr());
        }
        if (node == null || !node.isObject()) {
            throw new IOException("not a JSON object");
        }
        return Optional.of((ObjectNode) node);
    }

    /** Reads the OAuth cache; empty when the file does not exist. */
    static Optional<OAuthCache> read(Path file) throws IOException {
        Optional<ObjectNode> json = readObject(file);
        if (json.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(OAuthCache.of(json.get()));
    }

    /** Replaces {@code file} atomically with {@code cache}, mode 0600. */
    static void write(Path file, OAuthCache cache) throws IOException {
        Path target = file.toAbsolutePath();
        Path dir = target.getParent();
        boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
        if (!Files.isDirectory(dir)) {
            if (posix) {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(OWNER_ONLY_DIR));
            } else {
                Files.createDirectories(dir);
            }
        }
        byte[] bytes = JSON.writeValueAsBytes(cache.toJson());
        FileAttribute<?>[] attributes = posix
                ? new FileAttribute<?>[] { PosixFilePermissions.asFileAttribute(OWNER_READ_WRITE) }
                : new FileAttribute<?>[0];
        Path tmp = Files.createTempFile(dir, ".oauth_cache.", ".tmp", attributes);
        try {
            try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buffer = ByteBuffer.wrap(bytes);
                while (buffer.hasRemaining()) {
                    out.write(buffer);
                }
                out.force(true);
            }
            if (posix) {
                Files.setPosixFilePermissions(tmp, OWNER_READ_WRITE);
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
