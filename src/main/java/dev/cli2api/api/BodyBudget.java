package dev.cli2api.api;

/**
 * How many bytes of large request bodies the routes that hold a body in memory (the JSON generation and job routes,
 * {@link BodyLimit#INVALID_JSON_400} and {@link BodyLimit#MULTIPART_OR_JSON_400}) may have in flight at once, by
 * their declared {@code Content-Length}. Such a route holds a body several times over while it parses, stores and
 * answers it (Jackson alone builds a long string value three times over; a video job's prompt is stored twice and
 * echoed), so concurrent bodies near the 64 MiB cap would run the heap out of memory and answer 500s; past the budget
 * a request is told to come back (503 with {@code Retry-After}, which the SDKs honour) before its body is read. A body
 * larger than the whole budget would never fit: it is refused as too large ({@link #fits}), as one over the cap is.
 * Bodies under {@link #COUNTED_FROM}, and those without a declared length, are not counted.
 */
final class BodyBudget {

    /** Bodies smaller than this are not counted: they cannot add up to a heap's worth at any sane concurrency. */
    static final long COUNTED_FROM = 1024 * 1024;

    private final long capacity;
    private long held;

    BodyBudget(long capacity) {
        this.capacity = capacity;
    }

    /**
     * A twentieth of the heap, the largest body such a replica takes on those routes: about 23 MiB under
     * {@code -Xmx512m} and 34 MiB under {@code -Xmx768m} with ParallelGC (whose maximum heap leaves one survivor space
     * out). A tenth held for ASCII, Latin-1 and CJK prompts, but not for a long ASCII prompt holding one character
     * outside Latin-1, which Java then keeps at two bytes a character: a 15 MB one ran a 256 MiB heap out of memory.
     */
    static BodyBudget ofHeap() {
        return new BodyBudget(Runtime.getRuntime().maxMemory() / 20);
    }

    /** Whether a body of {@code bytes} can ever come in: at most the whole budget. */
    boolean fits(long bytes) {
        return bytes <= capacity;
    }

    /** Whether a body of {@code bytes} may come in now; if so, it is counted until {@link #release}d. */
    synchronized boolean tryAcquire(long bytes) {
        if (held + bytes > capacity) {
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
