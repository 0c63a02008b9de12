package dev.cli2api.api;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

import org.jboss.logging.MDC;

import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

/**
 * The one place every request passes through, JAX-RS resources and Vert.x proxy routes alike:
 * request id, CORS and preflight, 404/405 from the route table (no auth needed), inbound API keys,
 * how a parsed route reads its body's Content-Type, the 64 MiB body cap in the route's envelope,
 * the budget for large bodies, the access log line, and the
 * {@link ApiCallCompleted} event that usage accounting and metrics observe.
 */
@Singleton
public class ApiEdge {

    /** Routing-context key of the request id. */
    public static final String REQUEST_ID_KEY = "cli2api.request-id";
    /** Routing-context key of a map handlers may fill for usage accounting (e.g. "model"). */
    public static final String ATTRIBUTES_KEY = "cli2api.attributes";

    private static final String MULTIPART_FORM_DATA = "multipart/form-data";

    /** Runs before Quarkus' own filters and every route. */
    private static final int PRIORITY = 10_000;

    private final ApiKeys apiKeys;
    private final Event<ApiCallCompleted> completed;
    private final AccessLog accessLog;

    /** Large bodies in flight on the routes that hold them in memory. */
    private final BodyBudget bodies = BodyBudget.ofHeap();

    public ApiEdge(ApiKeys apiKeys, Event<ApiCallCompleted> completed, AccessLog accessLog) {
        this.apiKeys = apiKeys;
        this.completed = completed;
        this.accessLog = accessLog;
    }

    void register(@Observes Filters filters) {
        filters.register(this::handle, PRIORITY);
    }

    /**
     * Vert.x Web refuses a request whose {@code Host} header is not a valid authority ({@code Host: x/}) before any
     * filter runs, and Quarkus' error handler would answer its own body ({@code {"details":"Error id …"}}); this
     * answers it as the edge answers everything: request id, CORS, an access line, 400 in the route's envelope.
     */
    void registerInvalidHost(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).failureHandler(rc -> {
            if (rc.statusCode() != 400 || rc.get(REQUEST_ID_KEY) != null) {
                rc.next(); // a failure after the edge ran: the resources' own mapping answers it
                return;
            }
            long started = System.currentTimeMillis();
            String requestId = identify(rc);
            rc.response().putHeader("Connection", "close");
            rc.addEndHandler(ignored -> logAccess(rc, started, requestId));
            ErrorStyle style = ApiRoutes.match(rc.normalizedPath()).map(ApiRoute::style).orElse(ErrorStyle.OPENAI);
            String why = rc.failure() != null && rc.failure().getMessage() != null ? rc.failure().getMessage() : "";
            EdgeResponses.error(rc, style, ApiException.invalidRequest(
                    why.contains("Host") || why.contains(":authority") ? "invalid Host header" : "invalid request"));
        });
    }

    /** Gives the exchange its request id (echoed, and in the logging MDC) and CORS headers; returns the id. */
    private static String identify(RoutingContext rc) {
        String requestId = RequestIds.forRequest(rc.request().getHeader("X-Request-Id"));
        rc.put(REQUEST_ID_KEY, requestId);
        MDC.put("request_id", requestId);
        rc.response().putHeader("X-Request-Id", requestId);
        Cors.apply(rc.request(), rc.response());
        return requestId;
    }

    void handle(RoutingContext rc) {
        HttpServerRequest request = rc.request();
        HttpServerResponse response = rc.response();
        long started = System.currentTimeMillis();
        String requestId = identify(rc);

        // the path as the router resolves it (dot segments removed, %2e and other unreserved escapes decoded), so that
        // what is exempt, matched and authenticated here is what the handlers serve: /q/%2e%2e/v1/models is /v1/models
        String path = rc.normalizedPath();
        if (request.method() == HttpMethod.OPTIONS) {
            // CORS answers every preflight; it is still a request the access log shows (spec §1.1: log, then CORS)
            response.setStatusCode(204).end();
            logAccess(rc, started, requestId);
            return;
        }
        if (path.startsWith("/q/")) {
            // management endpoints (health, metrics, OpenAPI) are Quarkus' own and need no API key
            rc.next();
            return;
        }
        Optional<ApiRoute> matched = ApiRoutes.match(path);
        if (matched.isEmpty()) {
            response.setStatusCode(404).putHeader("Content-Type", "text/plain; charset=utf-8").end("404 page not found");
            logAccess(rc, started, requestId);
            return;
        }
        ApiRoute route = matched.get();
        rc.put(ApiRoute.CONTEXT_KEY, route);
        if (!route.methods().contains(request.method().name())) {
            response.setStatusCode(405).putHeader("Allow", route.allowHeader()).end();
            logAccess(rc, started, requestId);
            return;
        }
        atTheEnd(rc, () -> logAccess(rc, started, requestId));
        // the key first, as in the reference, whose body cap bites only when a handler reads the body
        Optional<ApiException> rejection = route.authenticated() ? apiKeys.reject(request.headers()) : Optional.empty();
        if (rejection.isPresent()) {
            EdgeResponses.error(rc, route.style(), rejection.get());
            return;
        }
        if (route.authenticated()) {
            // an API call from here on, whatever answers it, the edge's own refusals below included (spec §6.1)
            recordWhenDone(rc, route, path, started, requestId);
        }
        if (!route.isProxy()) {
            // the reference answers every route in one format whatever Accept says; RESTEasy refused an Accept its
            // @Produces did not match (GET /v1/models with Accept: text/plain was a 406). A proxy's Accept goes
            // upstream.
            request.headers().remove("Accept");
        }
        if (route.bodyLimit() != BodyLimit.TOO_LARGE_413 && request.method() == HttpMethod.POST) {
            // a body this service parses (the proxies forward theirs, header and all, untouched)
            Optional<ApiException> unreadable = readAsTheReferenceDoes(request, route.takesForms());
            if (unreadable.isPresent()) {
                EdgeResponses.error(rc, route.style(), unreadable.get());
                return;
            }
        }
        long declared = declaredLength(request);
        if (declared > BodyLimit.MAX_BYTES) {
            // the client may still be sending a body that will not be read: the connection ends with the answer
            closeAfterAnswer(rc);
            BodyLimit limit = request.method() == HttpMethod.POST ? route.bodyLimit() : BodyLimit.TOO_LARGE_413;
            EdgeResponses.error(rc, route.style(), limit.error(request.getHeader("Content-Type")));
            return;
        }
        if (!route.authenticated()) {
            // /healthz and the like: no key, and not an API call for usage or metrics
            rc.next();
            return;
        }
        if (!admitBody(rc, route, declared)) {
            return;
        }
        rc.next();
    }

    /** Fires {@link ApiCallCompleted} for usage accounting and metrics when the exchange ends. */
    private void recordWhenDone(RoutingContext rc, ApiRoute route, String path, long started, String requestId) {
        HttpServerRequest request = rc.request();
        HttpServerResponse response = rc.response();
        Map<String, Object> attributes = new HashMap<>();
        rc.put(ATTRIBUTES_KEY, attributes);
        String fingerprint = ApiKeys.presentedKey(request.headers()).map(ApiKeys::fingerprint).orElse("");
        atTheEnd(rc, () -> completed.fire(new ApiCallCompleted(route, request.method().name(), path,
                recordedStatus(route, rc), response.bytesWritten(), started,
                System.currentTimeMillis() - started, requestId, fingerprint,
                java.util.Collections.unmodifiableMap(new HashMap<>(attributes)))));
    }

    /**
     * Counts a large declared body of a POST to a route that holds bodies in memory against {@link BodyBudget}, until
     * the exchange ends; false (the connection closed since the body is not read) when the budget can never take it
     * (the route's "request body too large") or cannot take it now (503 {@code server_busy}, {@code Retry-After: 1}).
     */
    private boolean admitBody(RoutingContext rc, ApiRoute route, long declared) {
        if (route.bodyLimit() == BodyLimit.TOO_LARGE_413 || rc.request().method() != HttpMethod.POST
                || declared < BodyBudget.COUNTED_FROM) {
            return true;
        }
        if (!bodies.fits(declared)) {
            // more than this heap can hold while the route works on it: refused as a body over the cap is
            closeAfterAnswer(rc);
            EdgeResponses.error(rc, route.style(), route.bodyLimit().error(rc.request().getHeader("Content-Type")));
            return false;
        }
        if (!bodies.tryAcquire(declared)) {
            rc.response().putHeader("Retry-After", "1").putHeader("retry-after-ms", "1000");
            closeAfterAnswer(rc);
            EdgeResponses.error(rc, route.style(), new ApiException(503, "server_busy",
                    "busy with other large request bodies; retry shortly"));
            return false;
        }
        atTheEnd(rc, () -> bodies.release(declared));
        return true;
    }

    /** Routing-context key of the steps that end an exchange for the edge (see {@link #atTheEnd}). */
    private static final String LAST_STEPS_KEY = "cli2api.last-steps";

    /** Steps run once, in order: when the exchange ends, or when {@link #endedAbruptly} says it did. */
    private static final class LastSteps implements Runnable {
        private final List<Runnable> steps = new ArrayList<>();
        private final AtomicBoolean done = new AtomicBoolean();

        @Override
        public void run() {
            if (done.compareAndSet(false, true)) {
                steps.forEach(Runnable::run);
            }
        }
    }

    /** Runs {@code step} (the access line, the usage event, giving back body budget) once the exchange ends. */
    private static void atTheEnd(RoutingContext rc, Runnable step) {
        LastSteps last = rc.get(LAST_STEPS_KEY);
        if (last == null) {
            LastSteps created = new LastSteps();
            rc.put(LAST_STEPS_KEY, created);
            rc.addEndHandler(ignored -> created.run());
            last = created;
        }
        last.steps.add(step);
    }

    /**
     * Runs the exchange's last steps now: an answer that a handler ends abruptly (a relayed download that broke off)
     * may never reach the routing context's end handlers (RESTEasy's streamed answers do not), and the call had no
     * access line and no usage record.
     */
    public static void endedAbruptly(RoutingContext rc) {
        LastSteps last = rc.get(LAST_STEPS_KEY);
        if (last != null) {
            last.run();
        }
    }

    /**
     * The status usage accounting and the access log record: the one sent, except that a call waiting on upstream
     * whose client went away before any answer was written is a 502, as the reference reports it (spec §2.5: a client
     * disconnect ends a job wait with the same timeout error; its proxies answer the cancelled upstream call with
     * their 502). The unwritten answer's default 200 counted an abandoned call as a success.
     */
    static int recordedStatus(ApiRoute route, RoutingContext rc) {
        HttpServerResponse response = rc.response();
        boolean bodyReceived = rc.request().isEnded() || rc.get(BODY_READ_KEY) != null;
        return recordedStatus(route, response.headWritten(), bodyReceived, response.getStatusCode());
    }

    /** Routing-context key set by {@link #bodyRead}. */
    private static final String BODY_READ_KEY = "cli2api.body-read";

    /**
     * Tells the edge a handler has the whole request body in hand: a form body read by Quarkus leaves the request
     * looking unfinished ({@code isEnded()} false), so a multipart edit whose client left during the upstream wait was
     * recorded as 400, as a client gone mid-body is, not as the 502 of an abandoned wait.
     */
    public static void bodyRead(RoutingContext rc) {
        rc.put(BODY_READ_KEY, Boolean.TRUE);
    }

    /**
     * {@link #recordedStatus(ApiRoute, RoutingContext)} from its parts: a client gone before it had sent all of its
     * body, on any route, never got as far as upstream or the store, and is a 400 (the reference's handler failed to
     * read the body), not a 502 nor the unwritten answer's 200.
     */
    static int recordedStatus(ApiRoute route, boolean headWritten, boolean bodyReceived, int status) {
        if (headWritten) {
            return status;
        }
        if (!bodyReceived) {
            // on every route: a video job whose client left mid-body was recorded with the unwritten answer's 200
            return 400;
        }
        return route.answersAfterUpstream() ? 502 : status;
    }

    /** Tells usage accounting which model the call used (ignored outside an authenticated API route). */
    public static void recordModel(RoutingContext rc, String model) {
        Map<String, Object> attributes = rc.get(ATTRIBUTES_KEY);
        if (attributes != null && model != null && !model.isBlank()) {
            attributes.put(ApiCallCompleted.MODEL, model.trim());
        }
    }

    /** Tells usage accounting the token counts of the answer (ignored outside an authenticated API route). */
    public static void recordTokens(RoutingContext rc, long promptTokens, long completionTokens) {
        Map<String, Object> attributes = rc.get(ATTRIBUTES_KEY);
        if (attributes != null) {
            attributes.put(ApiCallCompleted.PROMPT_TOKENS, promptTokens);
            attributes.put(ApiCallCompleted.COMPLETION_TOKENS, completionTokens);
        }
    }

    /**
     * Ends the connection once the answer is written ({@code Connection: close} in the answer alone does not: the
     * server kept reading and discarding the unread body of a client that declared 64 MiB and more).
     */
    static void closeAfterAnswer(RoutingContext rc) {
        rc.response().putHeader("Connection", "close");
        rc.response().bodyEndHandler(ignored -> rc.request().connection().close());
    }

    /**
     * How a generation or job route reads a POST body, decided from its {@code Content-Type} as the reference decides
     * it: as a form only on a route that takes forms and when the type starts with {@code multipart/form-data}, as
     * written (spec §1.13: a case-sensitive prefix), and as JSON otherwise, whatever the label (the reference's JSON
     * routes decode any body). The header is set to {@code application/json} for every body read as JSON: Quarkus'
     * form parser and the resources' {@code @Consumes} matching went their own ways (no type, {@code *}{@code /*} or
     * {@code Multipart/Form-Data} were read as an empty form, 400 {@code model is required}; an empty or unparsable
     * type was a 415). A form without a {@code boundary} is refused as Go's form reader refuses it.
     */
    static Optional<ApiException> readAsTheReferenceDoes(HttpServerRequest request, boolean takesForms) {
        String value = request.getHeader("Content-Type");
        if (!takesForms || value == null || !value.startsWith(MULTIPART_FORM_DATA)) {
            request.headers().set("Content-Type", "application/json");
            return Optional.empty();
        }
        String[] parts = value.split(";");
        for (String parameter : parts) {
            int equals = parameter.indexOf('=');
            if (equals > 0 && parameter.substring(0, equals).trim().equalsIgnoreCase("boundary")) {
                // written again without the blanks around its ";"s, which Go's parser takes and Quarkus' media type
                // matching did not ("multipart/form-data ; boundary=…" went to the JSON reader)
                StringBuilder canonical = new StringBuilder(parts[0].trim());
                for (int i = 1; i < parts.length; i++) {
                    if (!parts[i].isBlank()) {
                        canonical.append("; ").append(parts[i].trim());
                    }
                }
                request.headers().set("Content-Type", canonical.toString());
                return Optional.empty();
            }
        }
        return Optional.of(ApiException.invalidRequest("multipart: no multipart boundary param in Content-Type"));
    }

    private static long declaredLength(HttpServerRequest request) {
        String value = request.getHeader("Content-Length");
        if (value == null) {
            return -1;
        }
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private void logAccess(RoutingContext rc, long started, String requestId) {
        HttpServerResponse response = rc.response();
        ApiRoute route = rc.get(ApiRoute.CONTEXT_KEY);
        accessLog.log(rc.request().method().name(), rc.request().path(),
                route == null ? response.getStatusCode() : recordedStatus(route, rc),
                response.bytesWritten(), System.currentTimeMillis() - started, requestId);
    }
}
