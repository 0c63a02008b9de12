package dev.cli2api.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.cli2api.testsupport.ItDatabase;
import dev.cli2api.testsupport.PackagedService;

/**
 * The packaged service on a fresh machine: its database does not exist yet. It creates it, migrates it, serves the
 * job routes, and logs no WARN or ERROR on the way (a regression: Hibernate ORM tried to read the database's metadata
 * before the database was created and logged three WARNs, "database … does not exist", on every first start).
 */
class FirstStartIT {

    @Test
    void aMissingDatabaseIsCreatedAndTheFirstStartLogsNoWarning() throws Exception {
        String url = ItDatabase.dropped("_it_first_start");
        Map<String, String> env = ItDatabase.apiOnly(url, "muk-first-start-it");
        Path log = Path.of("target", "first-start-it", "service.log");
        try (PackagedService service = PackagedService.start(env, log)) {
            HttpResponse<String> list = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create(service.baseUrl() + "/v1/videos")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, list.statusCode(), list.body());
            service.stop();
        }

        String output = Files.readString(log);
        assertTrue(output.contains("database ready: schema version"), output);
        List<String> complaints = output.lines()
                .filter(line -> line.contains("\"level\":\"WARN\"") || line.contains("\"level\":\"ERROR\""))
                .toList();
        assertEquals(List.of(), complaints);
    }
}
