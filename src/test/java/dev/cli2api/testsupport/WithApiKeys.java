package dev.cli2api.testsupport;

import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/** Runs the service with inbound auth on: keys {@code key-one} and {@code key-two}. */
public class WithApiKeys implements QuarkusTestProfile {

    public static final String KEY = "key-one";
    public static final String OTHER_KEY = "key-two";

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("cli2api.api-keys", KEY + ", " + OTHER_KEY);
    }
}
