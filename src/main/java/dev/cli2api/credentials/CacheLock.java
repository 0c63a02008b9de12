package dev.cli2api.credentials;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.locks.ReentrantLock;

import org.jboss.logging.Logger;

/**
 * Serialises work on one OAuth cache file across threads and processes: an in-JVM lock keyed by
 * the lock file's canonical path, then an exclusive {@link FileChannel#lock()} on the sidecar
 * {@code <cache>.lock} (created 0600, never replaced or deleted).
 */
final class CacheLock {

    private static final Logger LOG = Logger.getLogger(CacheLock.class);

    // file locks belong to the whole process (a second lock on the same file in this JVM throws),
    // so threads of this JVM queue here first; the map is static because every discovery shares it
    private static final ConcurrentMap<String, ReentrantLock> IN_PROCESS = new ConcurrentHashMap<>();

    /** Work run while the lock is held. */
    @FunctionalInterface
    interface Locked<T> {
        T run() throws IOException;
    }

    /** The lock could not be taken for a reason other than an unsupported or unwritable location. */
    static final class LockFailedException extends IOException {
        LockFailedException(String message) {
            super(message);
        }
    }

    private CacheLock() {
    }

    static Path lockFile(Path cache) {
        return cache.resolveSibling(cache.getFileName() + ".lock");
    }

    /**
     * Runs {@code work} holding both locks. When the lock file cannot be created (read-only
     * directory) or the file system has no locks, {@code work} runs unlocked; any other locking
     * failure throws {@link LockFailedException} and {@code work} does not run.
     */
    static <T> T withLock(Path cache, Locked<T> work) throws IOException {
        Path lockFile = lockFile(cache.toAbsolutePath().normalize());
        ReentrantLock inProcess = IN_PROCESS.computeIfAbsent(key(lockFile), k -> new ReentrantLock());
        inProcess.lock();
        try {
            FileChannel channel;
            try {
                channel = open(lockFile);
            } catch (IOException | UnsupportedOperationException e) {
                LOG.debugf("oauth cache lock file unavailable, proceeding unlocked (path=%s, error=%s)", lockFile, e);
                return work.run();
            }
            try (channel) {
                FileLock fileLock;
                try {
                    fileLock = channel.lock();
                } catch (IOException e) {
                    if (unsupported(e)) {
                        LOG.debugf("file locks unsupported, proceeding unlocked (path=%s, error=%s)", lockFile, e);
                        return work.run();
                    }
                    throw new LockFailedException("lock " + lockFile + ": " + e.getMessage());
                } catch (OverlappingFileLockException e) {
                    throw new LockFailedException("lock " + lockFile + ": already held elsewhere in this process");
                }
                try (fileLock) {
                    return work.run();
                }
            }
        } finally {
            inProcess.unlock();
        }
    }

    private static FileChannel open(Path lockFile) throws IOException {
        Set<StandardOpenOption> options = Set.of(StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            return FileChannel.open(lockFile, options,
                    PosixFilePermissions.asFileAttribute(OAuthCacheFile.OWNER_READ_WRITE));
        }
        return FileChannel.open(lockFile, options, new FileAttribute<?>[0]);
    }

    /** ENOTSUP / EOPNOTSUPP / EINVAL / ENOSYS: the file system cannot lock, which is not an error. */
    private static boolean unsupported(IOException e) {
        String message = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
        return message.contains("not supported") || message.contains("invalid argument")
                || message.contains("function not implemented");
    }

    private static String key(Path lockFile) {
        Path parent = lockFile.getParent();
        try {
            if (parent != null && Files.isDirectory(parent)) {
                return parent.toRealPath().resolve(lockFile.getFileName()).toString();
            }
        } catch (IOException e) {
            // fall back to the normalised absolute path
        }
        return lockFile.toString();
    }
}
