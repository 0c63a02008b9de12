package dev.cli2api.api;

/**
 * How many bytes of large request bodies the routes that hold a body in memory (the JSON generation and job routes,
 * {@link BodyLimit#INVALID_JSON_400} and {@link BodyLimit#MULTIPART_OR_JSON_400}) may have in flight at once, by
 * their declared {@code Content-Length}. Such a route holds a body several times over while it parses, stores and
 * answers it (one 60 MB video request needed most of a 512 MiB heap), so concurrent bodies near the 64 MiB cap would
 * run the heap out of memory and answer 500s; past the budget a request is told to come back (503 with
 * {@code Retry-After}, which the SDKs honour) before its body is read. One body is always let in when none is in
 * flight, whatever its size. Bodies under {@link #COUNTED_FROM}, and those without a declared length, are not counted.
 */
final class BodyBudget {

    /** Bodies smaller than this are not counted: they cannot add up to a heap's worth at any sane concurrency. */
    static final long COUNTED_FROM = 1024 * 1024;

    private final long capacity;
    private long held;

    BodyBudget(long capacity) {
        this.capacity = capacity;
    }

    /** A tenth of the heap: 51 MiB of a 512 MiB heap, so a second body near the cap waits its turn. */
    static BodyBudget ofHeap() {
        return new BodyBudget(Runtime.getRuntime().maxMemory() / 10);
    }

    /** Whether a body of {@code bytes} may come in now; if so, it is counted until {@link #release}d. */
    synchronized boolean tryAcquire(long bytes) {
        if (held > 0 && held + bytes > capacity) {
            return false;
        }
        held += bytes;
        return true;
    }

    synchronized void release(long bytes) {
        held -= bytes;
    }

    synchronized long held() {
        return held;
    }
}
