package dev.cli2api.proxy;

import dev.cli2api.api.ApiException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;

/** Reads a request body into memory, failing with the route's too-large error as soon as it passes the cap. */
final class BodyCollector {

    private BodyCollector() {
    }

    /** The whole body of {@code request}, or {@code tooLarge} once more than {@code max} bytes arrived. */
    static Future<Buffer> collect(HttpServerRequest request, long max, ApiException tooLarge) {
        Promise<Buffer> promise = Promise.promise();
        Buffer body = Buffer.buffer();
        request.handler(chunk -> {
            if (promise.future().isComplete()) {
                return;
            }
            if ((long) body.length() + chunk.length() > max) {
                promise.tryFail(tooLarge);
                return;
            }
            body.appendBuffer(chunk);
        });
        request.exceptionHandler(promise::tryFail);
        request.endHandler(ignored -> promise.tryComplete(body));
        if ("100-continue".equalsIgnoreCase(request.getHeader("Expect"))) {
            request.response().writeContinue();
        }
        request.resume();
        return promise.future();
    }
}
