package dev.cli2api.ops;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.Vertx;
import jakarta.inject.Inject;

/** A blocked event loop reads as lag (what the job worker paces itself by), and both gauges are exported. */
@QuarkusTest
class EventLoopLagTest {

    @Inject
    EventLoopLag lag;

    @Inject
    Vertx vertx;

    @Test
    void aLoopBusyFor300MsShowsAsLag() throws Exception {
        lag.averageMicrosSinceLastCall();
        vertx.getOrCreateContext().runOnContext(ignored -> {
            try {
                Thread.sleep(300); // deliberately blocking one loop
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        Thread.sleep(400);

        long average = lag.averageMicrosSinceLastCall();
        // the blocked loop's probes waited up to 300 ms (150 ms on average) among the other loops' few µs
        assertTrue(average > 5_000, average + " µs");
    }

    @Test
    void theGaugeShowsLagWithoutAnyoneElseReadingIt() throws Exception {
        // pacing is off by default, so nothing but the gauge reads the lag (a regression: it stayed at 0 then)
        vertx.getOrCreateContext().runOnContext(ignored -> {
            try {
                Thread.sleep(600); // deliberately blocking one loop
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        Thread.sleep(400);

        String metrics = given().when().get("/q/metrics").then().statusCode(200).extract().asString();
        double seconds = metrics.lines().filter(line -> line.startsWith("cli2api_eventloop_lag_seconds "))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.indexOf(' ') + 1))).findFirst()
                .orElseThrow();
        assertTrue(seconds > 0.005, metrics.lines().filter(line -> line.contains("eventloop")).toList()::toString);
    }

    @Test
    void lagAndTheWorkersLimitAreGauges() {
        given().when().get("/q/metrics").then().statusCode(200)
                .body(containsString("cli2api_eventloop_lag_seconds"))
                .body(containsString("cli2api_worker_in_flight_limit"));
    }
}
