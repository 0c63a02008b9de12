package dev.cli2api.testsupport;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The packaged service ({@code target/quarkus-app/quarkus-run.jar}, built by {@code package}) run as a child process
 * with {@code java -jar}, for integration tests ({@code *IT}) that stop and start it for real. The child gets a clean
 * environment (no inherited {@code QUARKUS_*}, {@code CLI2API_*} or {@code MULERUN_*}) plus the given variables, a
 * free port, and writes its output to a log file (replaced at each start). {@link #close} always ends it.
 */
public final class PackagedService implements AutoCloseable {

    private static final Duration STARTUP = Duration.ofMinutes(2);
    private static final Duration EXIT = Duration.ofMinutes(1);

    private final Process process;
    private final int port;
    private final Path log;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private PackagedService(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /** The packaged application; the integration test fails with a hint when it was not built. */
    public static Path runnableJar() {
        Path jar = Path.of(System.getProperty("basedir", ".")).resolve("target/quarkus-app/quarkus-run.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: run the integration tests with ./mvnw verify");
        }
        return jar;
    }

    /**
     * Starts the service with {@code env} on a free port and waits until {@code /q/health/ready} answers 200; tries
     * another port when a concurrent process took the chosen one first.
     */
    public static PackagedService start(Map<String, String> env, Path log) throws IOException {
        Files.createDirectories(log.getParent());
        Files.deleteIfExists(log);
        for (int attempt = 1;; attempt++) {
            PackagedService service = launch(env, log);
            try {
                service.awaitReady();
                return service;
            } catch (AssertionError e) {
                service.close();
                if (attempt == 3 || !service.logTail().contains("seems to be in use")) {
                    throw e;
                }
            }
        }
    }

    private static PackagedService launch(Map<String, String> env, Path log) throws IOException {
        int port = freePort();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(java, "-Xmx256m", "-jar", runnableJar().toString())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        Map<String, String> childEnv = builder.environment();
        // "_" also drops profile-prefixed variables such as _TEST_QUARKUS_DATASOURCE_JDBC_URL
        childEnv.keySet().removeIf(name -> name.startsWith("QUARKUS_") || name.startsWith("_")
                || name.startsWith("CLI2API_") || name.startsWith("MULERUN_"));
        childEnv.putAll(env);
        childEnv.put("CLI2API_PORT", String.valueOf(port));
        Process process = builder.start();
        // should this JVM be stopped mid-test, the child goes with it
        Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly));
        return new PackagedService(process, port, log);
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    public Path log() {
        return log;
    }

    /** Sends {@code SIGTERM} (a graceful stop) and waits for the process to exit. */
    public void stop() {
        process.destroy();
        awaitExit();
    }

    /** Ends the process at once ({@code SIGKILL}): no shutdown hook, nothing released. */
    public void kill() {
        process.destroyForcibly();
        awaitExit();
    }

    /** Kills the process if it still runs; never throws. */
    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(EXIT.toSeconds(), TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The last lines of the log, for assertion messages. */
    public String logTail() {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private void awaitExit() {
        try {
            if (!process.waitFor(EXIT.toSeconds(), TimeUnit.SECONDS)) {
                close();
                throw new AssertionError("service did not exit within " + EXIT + "; see " + log);
            }
        } catch (InterruptedException e) {
            close();
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for the service to exit", e);
        }
    }

    private void awaitReady() {
        long deadline = System.nanoTime() + STARTUP.toNanos();
        HttpRequest ready = HttpRequest.newBuilder(URI.create(baseUrl() + "/q/health/ready"))
                .timeout(Duration.ofSeconds(5)).build();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("service exited with " + process.exitValue() + " during startup:\n"
                        + logTail());
            }
            try {
                if (http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for the service", e);
            }
            sleep(200);
        }
        throw new AssertionError("service not ready within " + STARTUP + ":\n" + logTail());
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
