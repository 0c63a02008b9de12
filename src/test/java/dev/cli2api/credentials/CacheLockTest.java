package dev.cli2api.credentials;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CacheLockTest {

    @TempDir
    Path dir;

    @Test
    void shouldNeverOverlapEightHoldersThatReplaceTheFile() throws Exception {
        Path cache = dir.resolve("oauth_cache.json");
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger maxInside = new AtomicInteger();
        int holders = 8;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(holders);
        try {
            List<Future<Void>> done = new ArrayList<>();
            for (int i = 0; i < holders; i++) {
                String token = "acc_" + i;
                done.add(pool.submit(() -> {
                    start.await();
                    return CacheLock.withLock(cache, () -> {
                        maxInside.accumulateAndGet(inside.incrementAndGet(), Math::max);
                        OAuthCache entry = OAuthCache.empty();
                        entry.accessToken(token);
                        OAuthCacheFile.write(cache, entry);
                        // stay inside a little so an overlapping holder would be seen
                        for (int k = 0; k < 1_000; k++) {
                            Thread.yield();
                        }
                        inside.decrementAndGet();
                        return null;
                    });
                }));
            }
            start.countDown();
            for (Future<Void> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }

        assertEquals(1, maxInside.get());
        Path lockFile = dir.resolve("oauth_cache.json.lock");
        assertTrue(Files.isRegularFile(lockFile));
        assertEquals("rw-------", CredentialFiles.mode(lockFile));
    }

    @Test
    void shouldNeverReplaceTheLockFile() throws IOException {
        Path cache = dir.resolve("oauth_cache.json");
        CacheLock.withLock(cache, () -> null);
        Object inode = Files.readAttributes(CacheLock.lockFile(cache), BasicFileAttributes.class).fileKey();

        for (int i = 0; i < 3; i++) {
            CacheLock.withLock(cache, () -> null);
        }

        assertEquals(inode, Files.readAttributes(CacheLock.lockFile(cache), BasicFileAttributes.class).fileKey());
    }

    @Test
    void shouldRunUnlockedInReadOnlyDirectory() throws IOException {
        Path readOnly = Files.createDirectory(dir.resolve("ro"));
        Path cache = CredentialFiles.write(readOnly.resolve("oauth_cache.json"), "{}");
        Files.setPosixFilePermissions(readOnly, PosixFilePermissions.fromString("r-xr-xr-x"));
        try {
            // root may write anywhere, so the directory is only read-only for other users
            assumeFalse(Files.isWritable(readOnly), "running as root: directory modes are not enforced");

            assertEquals("ran", CacheLock.withLock(cache, () -> "ran"));
            assertFalse(Files.exists(CacheLock.lockFile(cache)));
        } finally {
            Files.setPosixFilePermissions(readOnly, PosixFilePermissions.fromString("rwx------"));
        }
    }

    @Test
    void shouldRunUnlockedWhenTheLockFileCannotBeCreated() throws IOException {
        // a directory where the lock file belongs cannot be opened as a file, whoever runs the test
        Path cache = dir.resolve("oauth_cache.json");
        Files.createDirectory(CacheLock.lockFile(cache));

        assertEquals("ran", CacheLock.withLock(cache, () -> "ran"));
    }

    @Test
    void shouldPropagateFailureOfTheWork() {
        Path cache = dir.resolve("oauth_cache.json");

        assertThrows(IOException.class, () -> CacheLock.withLock(cache, () -> {
            throw new IOException("boom");
        }));
        assertEquals("again", assertDoesNotHang(cache));
    }

    @Test
    void shouldExcludeAnotherProcess() throws Exception {
        Path cache = dir.resolve("oauth_cache.json");
        Path signals = Files.createDirectory(dir.resolve("signals"));
        String java = ProcessHandle.current().info().command().orElse("java");
        Process holder = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                CacheLockHolder.class.getName(), cache.toString(), signals.toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("holder.log").toFile())
                .start();
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(signals.resolve("held")));
            AtomicBoolean acquired = new AtomicBoolean();
            Thread contender = new Thread(() -> {
                try {
                    CacheLock.withLock(cache, () -> {
                        acquired.set(true);
                        return null;
                    });
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            contender.start();

            await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).until(() -> !acquired.get());
            Files.createFile(signals.resolve("release"));
            await().atMost(Duration.ofSeconds(10)).untilTrue(acquired);
            contender.join(10_000);
        } finally {
            Files.createDirectories(signals);
            if (!Files.exists(signals.resolve("release"))) {
                Files.createFile(signals.resolve("release"));
            }
            holder.waitFor();
        }
        assertEquals(0, holder.exitValue(), Files.readString(dir.resolve("holder.log")));
    }

    private static String assertDoesNotHang(Path cache) {
        try {
            return CacheLock.withLock(cache, () -> "again");
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
