package dev.cli2api.jobs;

import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

import io.netty.channel.EventLoopGroup;
import io.vertx.core.Vertx;
import io.vertx.core.impl.ContextInternal;
import io.vertx.core.impl.VertxInternal;
import io.vertx.core.impl.VertxThread;
import io.vertx.core.spi.transport.Transport;

/**
 * The event loop the job worker's upstream calls run on: one thread of its own beside the Vert.x event loops that
 * serve the API. A call started from it opens its connections on it and delivers its answer on it, so a draining
 * backlog's network I/O, answer parsing and classification never queue in front of an API request on the loop that
 * request waits for; the operating system shares the CPU between this one thread and the API's several.
 */
final class WorkerEventLoop implements Executor {

    /** The share of the loop's time for I/O against queued tasks, in per cent: Netty's and Vert.x' default. */
    private static final int IO_RATIO = 50;

    private final EventLoopGroup group;
    private final ContextInternal context;

    WorkerEventLoop(Vertx vertx, String threadName) {
        VertxInternal internal = (VertxInternal) vertx;
        this.group = internal.transport().eventLoopGroup(Transport.IO_EVENT_LOOP_GROUP, 1,
                runnable -> {
                    Thread thread = new VertxThread(runnable, threadName, false, internal.maxEventLoopExecTime(),
                            internal.maxEventLoopExecTimeUnit());
                    // like the worker's other threads: never what keeps a stopping JVM alive
                    thread.setDaemon(true);
                    return thread;
                }, IO_RATIO);
        this.context = internal.createEventLoopContext(group.next(), internal.getWorkerPool(),
                Thread.currentThread().getContextClassLoader());
    }

    /** Runs {@code task} on this loop; throws {@link RejectedExecutionException} once it is closed. */
    @Override
    public void execute(Runnable task) {
        if (group.isShuttingDown()) {
            throw new RejectedExecutionException("the job worker's event loop is closed");
        }
        context.runOnContext(ignored -> task.run());
    }

    /** Stops the loop once what is queued on it has run (answers still arriving afterwards are dropped). */
    void close() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }
}
