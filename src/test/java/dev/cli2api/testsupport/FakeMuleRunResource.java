package dev.cli2api.testsupport;

import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/** Starts a {@link FakeMuleRun}, points the service at it (sandbox off, a test token) and injects it into tests. */
public class FakeMuleRunResource implements QuarkusTestResourceLifecycleManager {

    /** The token the service sends upstream while this resource is active. */
    public static final String TOKEN = "muk-fake-test-token";

    private FakeMuleRun fake;

    @Override
    public Map<String, String> start() {
        fake = new FakeMuleRun();
        fake.start();
        return Map.of("cli2api.sandbox", "false", "mulerun.token", TOKEN, "mulerun.api-base-url", fake.baseUrl());
    }

    @Override
    public void stop() {
        if (fake != null) {
            fake.stop();
        }
    }

    @Override
    public void inject(TestInjector injector) {
        injector.injectIntoFields(fake, new TestInjector.AnnotatedAndMatchesType(InjectFakeMuleRun.class,
                FakeMuleRun.class));
    }
}
