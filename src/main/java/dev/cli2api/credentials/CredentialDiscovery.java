package dev.cli2api.credentials;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Finds the upstream credential in the reference's order ({@code MULERUN_TOKEN}, the OAuth cache
 * file, the legacy {@code ~/.mulerun} files), refreshing and exchanging OAuth tokens on the way
 * and writing the results back to the cache under its lock.
 */
final class CredentialDiscovery {

    static final String ENV_SOURCE = "env:MULERUN_TOKEN";
    static final String CACHED_MUK_SUFFIX = " (cached muk-)";
    static final List<String> LEGACY_FILES = List.of("auth.json", "credentials.json", "token.json");
    static final List<String> LEGACY_TOKEN_KEYS = List.of("token", "access_token", "accessToken");

    private static final Logger LOG = Logger.getLogger(CredentialDiscovery.class);

    /** A discovered credential plus, for the OAuth cache, the access token it was derived from. */
    record Resolution(Credential credential, Optional<String> cacheAccessToken) {

        static Resolution of(Credential credential) {
            return new Resolution(credential, Optional.empty());
        }

        /** Never prints a credential. */
        @Override
        public String toString() {
            return "Resolution[" + credential + "]";
        }
    }

    private final Optional<String> envToken;
    private final Optional<Path> home;
    private final Optional<Path> cacheOverride;
    private final OAuthClient oauth;
    private final Clock clock;

    /**
     * @param envToken {@code MULERUN_TOKEN}, trimmed, empty when unset
     * @param home the user's home directory, empty when it cannot be located
     * @param cacheOverride {@code CLI2API_TOKEN_CACHE}, empty for {@code <home>/.config/mulerun/oauth_cache.json}
     */
    CredentialDiscovery(Optional<String> envToken, Optional<Path> home, Optional<Path> cacheOverride,
            OAuthClient oauth, Clock clock) {
        this.envToken = envToken.map(String::trim).filter(s -> !s.isEmpty());
        this.home = Objects.requireNonNull(home, "home");
        this.cacheOverride = Objects.requireNonNull(cacheOverride, "cacheOverride");
        this.oauth = Objects.requireNonNull(oauth, "oauth");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    static CredentialDiscovery create(Optional<String> envToken, Optional<Path> home, Optional<Path> cacheOverride,
            String oauthBaseUrl, Duration oauthTimeout) {
        return new CredentialDiscovery(envToken, home, cacheOverride, new OAuthClient(oauthBaseUrl, oauthTimeout),
                Clock.systemUTC());
    }

    /** The credential, or empty when none is configured anywhere (the caller decides whether that is fatal). */
    Optional<Credential> discover() {
        return resolve().map(Resolution::credential);
    }

    Optional<Resolution> resolve() {
        if (envToken.isPresent()) {
            return Optional.of(Resolution.of(
                    new Credential(finalise(envToken.get()), ENV_SOURCE, Credential.Origin.ENVIRONMENT)));
        }
        Path homeDir = home.orElseThrow(
                () -> new CredentialDiscoveryException("discover mulerun token: locate home dir: $HOME is not defined"));
        Optional<Resolution> cached = fromCache(cacheFile(homeDir));
        if (cached.isPresent()) {
            return cached;
        }
        for (String name : LEGACY_FILES) {
            Optional<Credential> legacy = fromLegacyFile(homeDir.resolve(".mulerun").resolve(name).toAbsolutePath());
            if (legacy.isPresent()) {
                return legacy.map(Resolution::of);
            }
        }
        return Optional.empty();
    }

    /**
     * After upstream rejected {@code rejectedToken} (which came from the cache, derived from
     * {@code basisAccessToken}): under the cache lock, adopt tokens another process already
     * rotated, otherwise refresh once, re-exchange and persist. Empty when nothing better exists.
     */
    Optional<Resolution> refreshCache(String rejectedToken, Optional<String> basisAccessToken) {
        Path cache = cacheFile(home.orElseThrow(
                () -> new CredentialDiscoveryException("refresh mulerun token: locate home dir: $HOME is not defined")));
        return underLock(cache, () -> {
            Optional<OAuthCache> read = readCache(cache);
            if (read.isEmpty()) {
                return Optional.empty();
            }
            OAuthCache entry = read.get();
            boolean rotatedElsewhere = entry.accessToken().isPresent() && !entry.accessToken().equals(basisAccessToken);
            boolean newerMuk = entry.mukKey().isPresent() && !entry.mukKey().get().equals(rejectedToken);
            if (!rotatedElsewhere && !newerMuk) {
                if (entry.refreshToken().isEmpty()) {
                    return Optional.empty();
                }
                try {
                    refreshInto(cache, entry, "refreshed OAuth tokens after upstream rejected the credential");
                } catch (OAuthException e) {
                    if (e.isTransient()) {
                        LOG.warnf("oauth refresh failed temporarily; keeping the current credential (error=%s)",
                                e.getMessage());
                    } else {
                        warnRefreshFailed(e);
                    }
                    return Optional.empty();
                }
            }
            Optional<Resolution> fresh = entry.mukKey().isPresent()
                    ? Optional.of(cachedMuk(cache, entry))
                    : entry.accessToken().map(access -> finaliseIntoCache(cache, entry));
            return fresh.filter(r -> !r.credential().token().equals(rejectedToken));
        });
    }

    Path cacheFile(Path homeDir) {
        return cacheOverride.orElseGet(() -> homeDir.resolve(".config").resolve("mulerun").resolve("oauth_cache.json"));
    }

    private Optional<Resolution> fromCache(Path cache) {
        if (!Files.exists(cache)) {
            return Optional.empty();
        }
        return underLock(cache, () -> decide(cache));
    }

    /** The decision sequence of the reference's OAuth cache handling, run while the lock is held. */
    private Optional<Resolution> decide(Path cache) {
        Optional<OAuthCache> read = readCache(cache);
        if (read.isEmpty()) {
            return Optional.empty();
        }
        OAuthCache entry = read.get();
        if (entry.accessToken().isEmpty() && entry.mukKey().isEmpty()) {
            return Optional.empty();
        }
        if (entry.expired(clock.instant().getEpochSecond())) {
            if (entry.refreshToken().isEmpty()) {
                return entry.mukKey().map(muk -> cachedMuk(cache, entry));
            }
            try {
                refreshInto(cache, entry, "refreshed expired OAuth tokens");
            } catch (OAuthException e) {
                if (!e.isTransient()) {
                    warnRefreshFailed(e);
                    return Optional.empty();
                }
                LOG.warnf("oauth refresh failed temporarily; using the cached credentials for now (error=%s)",
                        e.getMessage());
            }
        }
        if (entry.mukKey().isPresent()) {
            return Optional.of(cachedMuk(cache, entry));
        }
        return entry.accessToken().map(access -> finaliseIntoCache(cache, entry));
    }

    /** Redeems the refresh token into {@code entry} (dropping the cached muk: the account may have changed) and persists it. */
    private void refreshInto(Path cache, OAuthCache entry, String done) throws OAuthException {
        OAuthClient.RefreshedTokens tokens = oauth.refresh(entry.refreshToken().orElseThrow());
        entry.accessToken(tokens.accessToken());
        if (!tokens.refreshToken().isEmpty()) {
            entry.refreshToken(tokens.refreshToken());
        }
        if (tokens.expiresIn() > 0) {
            entry.expiresAt(clock.instant().getEpochSecond() + tokens.expiresIn());
        }
        entry.mukKey(null);
        persist(cache, entry);
        LOG.infof("%s (path=%s)", done, cache);
    }

    private static void warnRefreshFailed(OAuthException e) {
        LOG.warnf("oauth refresh failed; re-run `mulerun login` (error=%s)", e.getMessage());
    }

    private Resolution cachedMuk(Path cache, OAuthCache entry) {
        return new Resolution(
                new Credential(entry.mukKey().orElseThrow(), "file:" + cache + CACHED_MUK_SUFFIX,
                        Credential.Origin.OAUTH_CACHE),
                entry.accessToken());
    }

    /** Finalises the cache's access token; an exchanged muk is stored so the next start needs no network. */
    private Resolution finaliseIntoCache(Path cache, OAuthCache entry) {
        String access = entry.accessToken().orElseThrow();
        String token = access;
        if (Tokens.isJwt(access)) {
            Optional<String> muk = exchange(access);
            if (muk.isPresent()) {
                token = muk.get();
                entry.mukKey(token);
                persist(cache, entry);
            }
        }
        return new Resolution(new Credential(token, "file:" + cache, Credential.Origin.OAUTH_CACHE), Optional.of(access));
    }

    private Optional<Credential> fromLegacyFile(Path file) {
        Optional<ObjectNode> json;
        try {
            json = OAuthCacheFile.readObject(file);
        } catch (IOException e) {
            LOG.warnf("credential file unreadable, skipping (path=%s, error=%s)", file, reason(e));
            return Optional.empty();
        }
        if (json.isEmpty()) {
            return Optional.empty();
        }
        JsonNode expiresAt = json.get().get("expires_at");
        if (expiresAt != null && expiresAt.isNumber() && expiresAt.asLong() > 0
                && clock.instant().getEpochSecond() >= expiresAt.asLong()) {
            return Optional.empty();
        }
        for (String key : LEGACY_TOKEN_KEYS) {
            JsonNode value = json.get().get(key);
            if (value != null && value.isTextual() && !value.asText().isBlank()) {
                return Optional.of(new Credential(finalise(value.asText().trim()), "file:" + file,
                        Credential.Origin.LEGACY_FILE));
            }
        }
        return Optional.empty();
    }

    /** A {@code muk-} key or a non-JWT token is used as is; a JWT is exchanged, or kept when that fails. */
    private String finalise(String raw) {
        return Tokens.isJwt(raw) ? exchange(raw).orElse(raw) : raw;
    }

    private Optional<String> exchange(String jwt) {
        try {
            String muk = oauth.exchange(jwt);
            LOG.info("exchanged OAuth JWT for muk- API key");
            return Optional.of(muk);
        } catch (OAuthException e) {
            LOG.warnf("could not exchange the OAuth JWT for a muk- API key; using the JWT as is, so upstream calls "
                    + "will likely fail with 401 (error=%s)", e.getMessage());
            return Optional.empty();
        }
    }

    private Optional<OAuthCache> readCache(Path cache) {
        try {
            return OAuthCacheFile.read(cache);
        } catch (IOException e) {
            LOG.warnf("oauth cache unreadable, skipping (path=%s, error=%s)", cache, reason(e));
            return Optional.empty();
        }
    }

    private static void persist(Path cache, OAuthCache entry) {
        try {
            OAuthCacheFile.write(cache, entry);
        } catch (IOException e) {
            LOG.warnf("could not write the oauth cache; continuing with the tokens in memory (path=%s, error=%s)",
                    cache, reason(e));
        }
    }

    private static Optional<Resolution> underLock(Path cache, CacheLock.Locked<Optional<Resolution>> work) {
        try {
            return CacheLock.withLock(cache, work);
        } catch (IOException e) {
            LOG.warnf("oauth cache lock failed, skipping the cache (path=%s, error=%s)", cache, reason(e));
            return Optional.empty();
        }
    }

    /** File-system exceptions carry only the path as their message; name what went wrong too. */
    private static String reason(IOException e) {
        if (e instanceof FileSystemException fs) {
            String kind = e.getClass().getSimpleName();
            return fs.getReason() == null ? kind : kind + ": " + fs.getReason();
        }
        return e.getMessage();
    }
}
