package dev.cli2api.credentials;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/**
 * A second process for {@link CacheLockTest}: takes the cache lock, creates {@code <dir>/held},
 * waits until {@code <dir>/release} exists (at most 30 s), then releases the lock and exits.
 */
public final class CacheLockHolder {

    private CacheLockHolder() {
    }

    public static void main(String[] args) throws Exception {
        Path cache = Path.of(args[0]);
        Path signals = Path.of(args[1]);
        CacheLock.withLock(cache, () -> {
            Files.createFile(signals.resolve("held"));
            Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
            while (!Files.exists(signals.resolve("release")) && Instant.now().isBefore(deadline)) {
                try {
                    Thread.sleep(10);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            return null;
        });
    }
}
