package dev.cli2api.credentials;

import static dev.cli2api.credentials.CredentialFiles.cachePath;
import static dev.cli2api.credentials.CredentialFiles.legacyPath;
import static dev.cli2api.credentials.CredentialFiles.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every log line of discovery and refresh, from every source and failure path, is free of secrets. */
// inside Quarkus: the OAuth calls go through a typed REST client, which Quarkus builds
@io.quarkus.test.junit.QuarkusTest
class CredentialLoggingTest {

    private static final String PACKAGE = "dev.cli2api.credentials";

    @TempDir
    Path home;

    private final FakeOAuthServer server = FakeOAuthServer.start();
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final List<String> secrets = new ArrayList<>(List.of(FakeOAuthServer.EXCHANGED_MUK,
            FakeOAuthServer.REFRESHED_JWT, FakeOAuthServer.ROTATED_REFRESH_TOKEN));
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            lines.add(render(record));
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    private Level previousLevel;

    @BeforeEach
    void captureLogs() {
        Logger packageLogger = Logger.getLogger(PACKAGE);
        previousLevel = packageLogger.getLevel();
        packageLogger.setLevel(Level.ALL);
        capture.setLevel(Level.ALL);
        Logger.getLogger("").addHandler(capture);
    }

    @AfterEach
    void release() {
        Logger.getLogger("").removeHandler(capture);
        Logger.getLogger(PACKAGE).setLevel(previousLevel);
        server.close();
    }

    private String secret(String value) {
        secrets.add(value);
        return value;
    }

    @Test
    void shouldKeepSecretsOutOfLogsForEverySource() {
        // environment: a JWT exchanged, then one whose exchange fails with the JWT echoed back
        String envJwt = secret(CredentialFiles.jwt("env-secret"));
        CredentialFiles.discovery(home, server, envJwt).discover();
        server.exchangeReplies(401, "{\"message\":\"bad token " + envJwt + "\"}");
        CredentialFiles.discovery(home, server, envJwt).discover();
        server.exchangeReturnsKey(secret("sk-leaked-secret"));
        CredentialFiles.discovery(home, server, envJwt).discover();
        server.exchangeReturnsKey(FakeOAuthServer.EXCHANGED_MUK);

        // legacy files: one corrupt around a token, one JWT exchanged
        write(legacyPath(home, "auth.json"), "{\"token\": " + secret("mr_legacy-secret-unquoted") + "}");
        write(legacyPath(home, "credentials.json"), "{\"token\":\"" + secret(CredentialFiles.jwt("legacy-secret")) + "\"}");
        CredentialFiles.discovery(home, server).discover();

        // OAuth cache: corrupt, then refresh rejected, then refresh + exchange + write-back, then 401 refresh
        Path cache = write(cachePath(home), "{\"access_token\": " + secret("eyJcorrupt-secret") + "}");
        CredentialFiles.discovery(home, server).discover();
        write(cache, "{\"access_token\":\"%s\",\"refresh_token\":\"%s\",\"expires_at\":1}"
                .formatted(secret(CredentialFiles.jwt("cache-secret")), secret("rt-cache-secret")));
        server.refreshReplies(400, "{\"error\":\"invalid_grant\",\"error_description\":\"revoked\"}");
        CredentialFiles.discovery(home, server).discover();
        server.refreshReplies(200, "{\"access_token\":\"" + FakeOAuthServer.REFRESHED_JWT + "\",\"refresh_token\":\""
                + FakeOAuthServer.ROTATED_REFRESH_TOKEN + "\",\"expires_in\":3600}");
        UpstreamCredentials credentials = new UpstreamCredentials(CredentialFiles.discovery(home, server));
        String discovered = credentials.discover().orElseThrow().token();
        assertEquals(FakeOAuthServer.EXCHANGED_MUK, discovered);
        server.exchangeReturnsKey(secret("muk-after-401-secret"));
        assertEquals("muk-after-401-secret", credentials.refreshAfterUnauthorized(discovered).orElseThrow());
        lines.add(credentials.current().orElseThrow().toString());

        assertLogged("exchanged OAuth JWT for muk- API key");
        assertLogged("could not exchange the OAuth JWT for a muk- API key");
        assertLogged("credential file unreadable, skipping");
        assertLogged("oauth cache unreadable, skipping");
        assertLogged("oauth refresh failed; re-run `mulerun login`");
        assertLogged("refreshed expired OAuth tokens");
        assertLogged("refreshed OAuth tokens after upstream rejected the credential");
        assertNoSecretLogged();
    }

    private void assertLogged(String message) {
        assertTrue(lines.stream().anyMatch(line -> line.contains(message)), message + " not in " + lines);
    }

    private void assertNoSecretLogged() {
        for (String line : lines) {
            for (String secret : secrets) {
                // the kind prefix may be named; nothing after it may appear
                String revealing = secret.startsWith(Tokens.MUK_PREFIX) ? secret.substring(Tokens.MUK_PREFIX.length())
                        : secret.startsWith(Tokens.JWT_PREFIX) ? secret.substring(Tokens.JWT_PREFIX.length()) : secret;
                if (line.contains(revealing)) {
                    fail("secret leaked into a log line: " + line);
                }
            }
        }
    }

    private static String render(LogRecord record) {
        StringBuilder out = new StringBuilder(record.getLevel() + " " + record.getLoggerName() + " ");
        out.append(record instanceof ExtLogRecord ext ? ext.getFormattedMessage()
                : new SimpleFormatter().formatMessage(record));
        if (record.getParameters() != null) {
            out.append(' ').append(Arrays.toString(record.getParameters()));
        }
        if (record.getThrown() != null) {
            StringWriter trace = new StringWriter();
            record.getThrown().printStackTrace(new PrintWriter(trace));
            out.append(' ').append(trace);
        }
        return out.toString();
    }
}
