package dev.cli2api.ops;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.Vertx;
import jakarta.inject.Inject;

/** A blocked event loop reads as lag in its gauge, and the worker's jobs in flight are a gauge too. */
@QuarkusTest
class EventLoopLagTest {

    @Inject
    Vertx vertx;

    @Test
    void aLoopBusyFor600MsShowsInTheGauge() {
        // a regression: the gauge was only updated when the (since removed) lag-based pacing read the lag
        vertx.getOrCreateContext().runOnContext(ignored -> {
            try {
                Thread.sleep(600); // deliberately blocking one loop
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });

        // the gauge shows the average of the last whole window: the one the block falls in, or the next
        await().atMost(Duration.ofMillis(3 * EventLoopLag.GAUGE_WINDOW_MS)).pollInterval(Duration.ofMillis(50))
                .until(() -> gaugeSeconds() > 0.005);
    }

    private static double gaugeSeconds() {
        String metrics = given().when().get("/q/metrics").then().statusCode(200).extract().asString();
        return metrics.lines().filter(line -> line.startsWith("cli2api_eventloop_lag_seconds "))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.indexOf(' ') + 1))).findFirst()
                .orElseThrow();
    }

    @Test
    void lagAndTheWorkersJobsInFlightAreGauges() {
        given().when().get("/q/metrics").then().statusCode(200)
                .body(containsString("cli2api_eventloop_lag_seconds"))
                .body(containsString("cli2api_worker_in_flight"));
    }
}
