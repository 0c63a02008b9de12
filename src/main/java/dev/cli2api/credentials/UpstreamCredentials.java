package dev.cli2api.credentials;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.cli2api.config.Cli2ApiConfig;
import dev.cli2api.config.MuleRunConfig;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;

/**
 * Holds the service's upstream MuleRun credential: discovered once, and replaced only when
 * upstream rejects an OAuth-cache credential and a refresh yields a new one.
 */
@ApplicationScoped
public class UpstreamCredentials {

    private final CredentialDiscovery discovery;
    private final ReentrantLock lock = new ReentrantLock();
    // null until discovery ran; then the (possibly empty) result, swapped after a refresh
    private volatile Optional<CredentialDiscovery.Resolution> current;

    @Inject
    public UpstreamCredentials(Cli2ApiConfig config, MuleRunConfig muleRun) {
        this(CredentialDiscovery.create(muleRun.token(),
                homeDirectory(System.getenv("HOME"), System.getProperty("user.home")),
                config.tokenCache().map(Path::of), muleRun.oauthBaseUrl(), config.oauthTimeout()));
    }

    UpstreamCredentials(CredentialDiscovery discovery) {
        this.discovery = Objects.requireNonNull(discovery, "discovery");
    }

    /**
     * Runs discovery on the first call (blocking: files, a lock, possibly two OAuth calls) and
     * returns its result on every call; empty means no credential is configured anywhere.
     *
     * @throws CredentialDiscoveryException when the home directory cannot be located
     */
    public Optional<Credential> discover() {
        Optional<CredentialDiscovery.Resolution> resolved = current;
        if (resolved == null) {
            lock.lock();
            try {
                if (current == null) {
                    current = discovery.resolve();
                }
                resolved = current;
            } finally {
                lock.unlock();
            }
        }
        return resolved.map(CredentialDiscovery.Resolution::credential);
    }

    /** The credential in use now (discovering it first if nobody has yet). */
    public Optional<Credential> current() {
        return discover();
    }

    /**
     * Called after upstream answered 401 to {@code rejectedToken}. When the credential came from
     * the OAuth cache: returns the token another caller already swapped in, or refreshes once
     * (under the cache lock, so concurrent processes also refresh once), re-exchanges, persists
     * and swaps the current credential. Empty when not applicable (environment or legacy
     * credential, no refresh token, refresh failed) or when nothing newer than the rejected
     * token exists. Blocking; see {@link #refreshAfterUnauthorizedAsync(String)}.
     */
    public Optional<String> refreshAfterUnauthorized(String rejectedToken) {
        Objects.requireNonNull(rejectedToken, "rejectedToken");
        if (!fromOAuthCache(discover())) {
            return Optional.empty();
        }
        lock.lock();
        try {
            CredentialDiscovery.Resolution now = current.orElseThrow();
            if (!now.credential().token().equals(rejectedToken)) {
                return Optional.of(now.credential().token());
            }
            Optional<CredentialDiscovery.Resolution> fresh = discovery.refreshCache(rejectedToken, now.cacheAccessToken());
            fresh.ifPresent(resolution -> current = Optional.of(resolution));
            return fresh.map(resolution -> resolution.credential().token());
        } finally {
            lock.unlock();
        }
    }

    /** {@link #refreshAfterUnauthorized(String)} on a worker thread, for callers on the event loop. */
    public Uni<Optional<String>> refreshAfterUnauthorizedAsync(String rejectedToken) {
        return Uni.createFrom().item(() -> refreshAfterUnauthorized(rejectedToken))
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }

    private static boolean fromOAuthCache(Optional<Credential> credential) {
        return credential.map(c -> c.origin() == Credential.Origin.OAUTH_CACHE).orElse(false);
    }

    /** {@code HOME} as the reference uses it, else the JVM's {@code user.home}; empty when neither is usable. */
    static Optional<Path> homeDirectory(String homeEnv, String userHome) {
        for (String candidate : new String[] { homeEnv, userHome }) {
            if (candidate != null && !candidate.isBlank() && !candidate.trim().equals("?")) {
                return Optional.of(Path.of(candidate.trim()));
            }
        }
        return Optional.empty();
    }
}
