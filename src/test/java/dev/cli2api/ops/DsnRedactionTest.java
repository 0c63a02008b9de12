package dev.cli2api.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The spec §8.1 table (12 cases), plus JDBC URLs. */
class DsnRedactionTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "''|''",
            "file:/var/lib/cli2api/jobs.db|file:/var/lib/cli2api/jobs.db",
            "/tmp/jobs.db|/tmp/jobs.db",
            "libsql://host.turso.io?authToken=secret123|libsql://host.turso.io?authToken=%2A%2A%2A",
            "libsql://host?authToken=secret&other=v|libsql://host?authToken=%2A%2A%2A&other=v",
            "https://host/db?jwt=abc|https://host/db?jwt=%2A%2A%2A",
            "libsql://host?AuthToken=secret123|libsql://host?AuthToken=%2A%2A%2A",
            "libsql://host?AUTHTOKEN=x&Password=p&JWT=j|libsql://host?AUTHTOKEN=%2A%2A%2A&JWT=%2A%2A%2A&Password=%2A%2A%2A",
            "libsql://supersecrettoken@host|libsql://%2A%2A%2A@host",
            "https://apikey:supersecret@host/db|https://%2A%2A%2A@host/db",
            "libsql://user:pw@host?authToken=secret|libsql://%2A%2A%2A@host?authToken=%2A%2A%2A",
            "libsql://host|libsql://host",
            "jdbc:postgresql://127.0.0.1:5432/cli2api|jdbc:postgresql://127.0.0.1:5432/cli2api",
            "jdbc:postgresql://db:5432/cli2api?user=app&password=s3cr3t|jdbc:postgresql://db:5432/cli2api?password=%2A%2A%2A&user=app",
            "jdbc:postgresql://db/c?sslpassword=secret&sslmode=verify-full|jdbc:postgresql://db/c?sslmode=verify-full&sslpassword=%2A%2A%2A",
    })
    void masksSecrets(String input, String expected) {
        String out = DsnRedaction.redact(input);
        assertEquals(expected, out);
        for (String secret : new String[] { "secret", "supersecret", "s3cr3t", "pw@" }) {
            assertFalse(out.contains(secret), out);
        }
    }
}
