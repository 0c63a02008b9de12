package dev.cli2api.proxy;

import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/** Starts {@link FakeUpstream} and points the service at it with a known upstream token. */
public class FakeUpstreamResource implements QuarkusTestResourceLifecycleManager {

    public static final String TOKEN = "test-upstream-token";

    @Override
    public Map<String, String> start() {
        try {
            int port = FakeUpstream.get().start(0);
            return Map.of("cli2api.sandbox", "false", "mulerun.token", TOKEN,
                    "mulerun.api-base-url", "http://127.0.0.1:" + port);
        } catch (Exception e) {
            throw new IllegalStateException("fake upstream did not start", e);
        }
    }

    @Override
    public void stop() {
        try {
            FakeUpstream.get().shutdown();
        } catch (Exception e) {
            throw new IllegalStateException("fake upstream did not stop", e);
        }
    }
}
