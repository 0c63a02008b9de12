package dev.cli2api.upstream;

import java.util.Optional;

import org.jboss.logging.Logger;

import dev.cli2api.config.Cli2ApiConfig;
import dev.cli2api.config.MuleRunConfig;
import dev.cli2api.credentials.Credential;
import dev.cli2api.credentials.UpstreamCredentials;
import dev.cli2api.sandbox.MuleRunSimulator;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

/**
 * Where upstream calls go and with which credential, decided once at startup: the MuleRun gateway
 * with the discovered credential, or, in sandbox mode, the built-in simulator started on an
 * ephemeral loopback port. Fails startup when there is no credential and no sandbox (spec §4.1).
 */
@Singleton
public class MuleRunUpstream {

    private static final Logger LOG = Logger.getLogger(MuleRunUpstream.class);
    /** After the database bootstrap, before the startup log. */
    static final int PRIORITY = 10;
    private static final String SANDBOX_TOKEN = "sandbox-token";

    private final Cli2ApiConfig config;
    private final MuleRunConfig muleRun;
    private final UpstreamCredentials credentials;
    private final Vertx vertx;
    private volatile UpstreamMode mode;
    private volatile MuleRunSimulator simulator;

    public MuleRunUpstream(Cli2ApiConfig config, MuleRunConfig muleRun, UpstreamCredentials credentials, Vertx vertx) {
        this.config = config;
        this.muleRun = muleRun;
        this.credentials = credentials;
        this.vertx = vertx;
    }

    void onStart(@Observes @Priority(PRIORITY) StartupEvent event) {
        start();
    }

    synchronized void start() {
        if (mode != null) {
            return;
        }
        Optional<Boolean> sandboxSetting = config.sandbox();
        // an explicit sandbox needs no credential, so none is looked for
        boolean found = sandboxSetting.orElse(false) || credentials.discover().isPresent();
        UpstreamMode decided = UpstreamMode.decide(sandboxSetting, UpstreamMode.development(), found);
        if (decided == UpstreamMode.SANDBOX) {
            MuleRunSimulator sim = new MuleRunSimulator(vertx);
            sim.start(0);
            simulator = sim;
            if (sandboxSetting.isEmpty()) {
                LOG.warn("*** SANDBOX MODE: no MuleRun credentials found, so upstream calls go to the built-in "
                        + "simulator at " + sim.baseUrl() + " (fake replies, no cost). Set MULERUN_TOKEN or run "
                        + "`mulerun login` for the real gateway; CLI2API_SANDBOX=false turns this off. ***");
            } else {
                LOG.warn("sandbox mode (CLI2API_SANDBOX=true): upstream calls go to the built-in simulator at "
                        + sim.baseUrl());
            }
        }
        mode = decided;
    }

    void onStop(@Observes ShutdownEvent event) {
        MuleRunSimulator sim = simulator;
        if (sim != null) {
            sim.stop();
        }
    }

    /** The mode decided at startup. */
    public UpstreamMode mode() {
        UpstreamMode decided = mode;
        if (decided == null) {
            // only before the startup observer ran: decide once, under the lock
            start();
            decided = mode;
        }
        return decided;
    }

    /** Base URL of the inference gateway (no trailing slash). */
    public String baseUrl() {
        return mode() == UpstreamMode.SANDBOX ? simulator.baseUrl() : muleRun.apiBaseUrl();
    }

    /** The upstream token to send now. */
    public String token() {
        if (mode() == UpstreamMode.SANDBOX) {
            return SANDBOX_TOKEN;
        }
        return credentials.current().map(Credential::token).orElseThrow(() -> new IllegalStateException(
                UpstreamMode.NO_CREDENTIALS));
    }

    /**
     * After upstream answered 401 to {@code rejectedToken}: the credential to retry with once, or empty when there is
     * none newer (sandbox, a fixed token, no refresh token, refresh failed). Refreshing blocks, so it runs off the
     * caller's thread; concurrent callers share one refresh.
     */
    public Uni<Optional<String>> renewAfterUnauthorized(String rejectedToken) {
        if (mode() == UpstreamMode.SANDBOX) {
            return Uni.createFrom().item(Optional.empty());
        }
        return credentials.refreshAfterUnauthorizedAsync(rejectedToken);
    }

    /** The {@code token_source} of the startup log: where the credential came from. */
    public String tokenSource() {
        if (mode() == UpstreamMode.SANDBOX) {
            return "sandbox";
        }
        return credentials.current().map(Credential::source).orElse("");
    }

    /** The simulator, when running in sandbox mode. */
    public Optional<MuleRunSimulator> simulator() {
        return Optional.ofNullable(simulator);
    }
}
