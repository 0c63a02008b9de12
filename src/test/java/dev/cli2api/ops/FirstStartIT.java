package dev.cli2api.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.HashMap;
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
        String url = ItDatabase.url("_it_first_start");
        try (Connection c = DriverManager.getConnection(ItDatabase.maintenanceUrl(url), ItDatabase.credentials());
                Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + ItDatabase.name(url) + " WITH (FORCE)");
        }

        Map<String, String> env = new HashMap<>();
        env.put("QUARKUS_DATASOURCE_JDBC_URL", url);
        env.put("QUARKUS_DATASOURCE_JDBC_MAX_SIZE", "5");
        env.put("CLI2API_SANDBOX", "false");
        env.put("MULERUN_TOKEN", "muk-first-start-it");
        env.put("CLI2API_WORKER_INTERVAL", "0");
        ItDatabase.passCredentials(env);
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
