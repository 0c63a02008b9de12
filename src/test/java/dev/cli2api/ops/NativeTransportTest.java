package dev.cli2api.ops;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.Test;

import io.netty.channel.epoll.Epoll;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.Vertx;
import jakarta.inject.Inject;

/**
 * On Linux x86_64 (the container image's platform) every socket runs on Netty's native epoll transport: with it the
 * job GETs took about a tenth less CPU than with Java NIO in side-by-side trials (docs/performance.md).
 */
@QuarkusTest
class NativeTransportTest {

    @Inject
    Vertx vertx;

    @Test
    void socketsRunOnEpollWhereTheNativeLibraryIsShipped() {
        assumeTrue(System.getProperty("os.name").startsWith("Linux")
                && System.getProperty("os.arch").matches("amd64|x86_64"), "the shipped native library is linux-x86_64");
        assertTrue(Epoll.isAvailable(), () -> "epoll unavailable: " + Epoll.unavailabilityCause());
        assertTrue(vertx.isNativeTransportEnabled(), "quarkus.vertx.prefer-native-transport is not in effect");
        // and the service answers over it
        given().when().get("/healthz").then().statusCode(200);
    }
}
