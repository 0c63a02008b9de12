package dev.cli2api.upstream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Arrays;

import org.junit.jupiter.api.Test;

import dev.cli2api.ops.StartupLog;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;

/** With CLI2API_SANDBOX=true the service starts the simulator and sends upstream calls there. */
@QuarkusTest
class SandboxUpstreamTest {

    @Inject
    MuleRunUpstream upstream;

    @Inject
    StartupLog startupLog;

    @Test
    void sandboxUpstreamIsALiveSimulatorOnLoopback() throws Exception {
        assertEquals(UpstreamMode.SANDBOX, upstream.mode());
        assertTrue(upstream.baseUrl().startsWith("http://127.0.0.1:"), upstream.baseUrl());
        assertEquals("sandbox", upstream.tokenSource());
        HttpResponse<byte[]> png = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(upstream.baseUrl() + "/assets/sample.png")).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, png.statusCode());
        assertArrayEquals(new byte[] { (byte) 0x89, 'P', 'N', 'G' }, Arrays.copyOf(png.body(), 4));
    }

    @Test
    void startupLogHasTheSpecFields() {
        var fields = startupLog.fields();
        assertEquals(61, fields.get("registered_models"));
        assertEquals("5m0s", fields.get("image_timeout"));
        assertEquals("2s", fields.get("poll_interval"));
        assertEquals("168h0m0s", fields.get("job_retention"));
        assertEquals("1h0m0s", fields.get("reaper_interval"));
        assertEquals(3.0, fields.get("job_hard_cap_mult"));
        assertEquals("720h0m0s", fields.get("usage_retention"));
        assertEquals(false, fields.get("auth_required"));
        assertEquals("sandbox", fields.get("token_source"));
        assertTrue(fields.get("jobstore").toString().startsWith("postgresql:jdbc:postgresql://127.0.0.1:5432/"));
    }
}
