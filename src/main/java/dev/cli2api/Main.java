package dev.cli2api;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;

/** Entry point: answers {@code --version} before any configuration is read, then runs the service. */
@QuarkusMain
public final class Main {

    private Main() {
    }

    public static void main(String... args) {
        for (String arg : args) {
            if (arg.equals("--version") || arg.equals("-v") || arg.equals("version")) {
                // CLI output, not a log line: the process prints its version and exits 0
                System.err.println("cli2api " + version());
                System.exit(0);
                return;
            }
        }
        Quarkus.run(args);
    }

    /** The build's version, or {@code dev} when run from sources without a filtered build file. */
    public static String version() {
        try (InputStream in = Main.class.getResourceAsStream("/cli2api-build.properties")) {
            if (in == null) {
                return "dev";
            }
            Properties p = new Properties();
            p.load(in);
            String v = p.getProperty("version", "dev").trim();
            return v.isEmpty() || v.startsWith("${") ? "dev" : v;
        } catch (IOException e) {
            return "dev";
        }
    }
}
