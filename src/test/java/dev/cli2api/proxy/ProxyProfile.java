package dev.cli2api.proxy;

import java.util.List;
import java.util.Map;

import dev.cli2api.testsupport.WithApiKeys;
import io.quarkus.test.junit.QuarkusTestProfile;

/** The one profile of all proxy tests: the fake upstream, and inbound API keys on (so inbound credentials exist to strip). */
public class ProxyProfile implements QuarkusTestProfile {

    /** The inbound key the tests present. */
    public static final String KEY = WithApiKeys.KEY;

    @Override
    public Map<String, String> getConfigOverrides() {
        return new WithApiKeys().getConfigOverrides();
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(FakeUpstreamResource.class));
    }
}
