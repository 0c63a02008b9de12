package dev.cli2api.api;

import java.io.IOException;
import java.util.Locale;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;

import io.vertx.ext.web.RoutingContext;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;

/**
 * Maps every exception that leaves a JAX-RS resource to the wire: the route's error envelope, a
 * status from the exception type, and never a stack trace or internal detail in the body.
 */
public class ApiExceptionMappers {

    private static final Logger LOG = Logger.getLogger(ApiExceptionMappers.class);
    /** Quarkus' handler that reads a form body before the resource runs (see {@link #thrownReadingTheForm}). */
    private static final String FORM_BODY_HANDLER = "org.jboss.resteasy.reactive.server.handlers.FormBodyHandler";

    @ServerExceptionMapper
    public Response apiException(ApiException e, RoutingContext rc) {
        Response answer = envelope(rc, e.status(), e.type(), e.getMessage());
        if (!e.worthRetrying()) {
            answer.getHeaders().putSingle(ApiException.SHOULD_RETRY, "false");
        }
        return answer;
    }

    /** Malformed JSON, wrong JSON types, an empty body where an object is expected. */
    @ServerExceptionMapper
    public Response invalidJson(JsonProcessingException e, RoutingContext rc) {
        return envelope(rc, 400, "invalid_request_error", "invalid JSON body: " + describe(e));
    }

    /** Named on its own because Quarkus has a built-in mapper for this subtype that would otherwise win. */
    @ServerExceptionMapper
    public Response mismatchedInput(MismatchedInputException e, RoutingContext rc) {
        return invalidJson(e, rc);
    }

    /**
     * A multipart body Quarkus cannot parse (bad boundary, truncated part) fails before the resource runs; it is the
     * client's fault, so it is a 400 {@code multipart: <err>} as in the reference. Other I/O failures are ours.
     */
    @ServerExceptionMapper
    public Response unreadableBody(IOException e, RoutingContext rc) {
        if (e instanceof JsonProcessingException json) {
            return invalidJson(json, rc);
        }
        if (isMultipart(rc)) {
            return envelope(rc, 400, "invalid_request_error", "multipart: " + e.getMessage());
        }
        return unexpected(e, rc);
    }

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e, RoutingContext rc) {
        int status = e.getResponse().getStatus();
        if (status >= 500) {
            LOG.errorf(e, "request failed with status %d", status);
            return envelope(rc, status, "internal_error", "internal error");
        }
        Throwable cause = e.getCause();
        if (cause instanceof JsonProcessingException json) {
            return invalidJson(json, rc);
        }
        String type = switch (status) {
            case 404 -> "not_found";
            case 405 -> "method_not_allowed";
            case 406 -> "not_acceptable";
            case 413 -> "request_too_large";
            case 415 -> "unsupported_media_type";
            default -> "invalid_request_error";
        };
        String message = e.getMessage() == null || e.getMessage().isBlank() ? "HTTP " + status : e.getMessage();
        return envelope(rc, status, type, message);
    }

    @ServerExceptionMapper
    public Response unexpected(Throwable e, RoutingContext rc) {
        if (isMultipart(rc) && thrownReadingTheForm(e)) {
            return envelope(rc, 400, "invalid_request_error", "multipart: " + formFailure(e));
        }
        if (clientGone(e)) {
            // the client closed its connection while its body was being read: its fault, and no one to answer; it
            // was logged as an ERROR "unhandled error" with a stack trace for each such client
            LOG.debugf("request body cut short: the client closed the connection (%s)", e.getMessage());
            return envelope(rc, 400, "invalid_request_error", "invalid JSON body: unexpected EOF");
        }
        LOG.error("unhandled error", e);
        return envelope(rc, 500, "internal_error", "internal error");
    }

    /** Whether {@code e} comes from the client's connection closing (Vert.x's {@code HttpClosedException}). */
    private static boolean clientGone(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof io.vertx.core.http.HttpClosedException) {
                return true;
            }
        }
        return false;
    }

    private static boolean isMultipart(RoutingContext rc) {
        String contentType = rc.request().getHeader("Content-Type");
        return contentType != null && contentType.toLowerCase(Locale.ROOT).startsWith("multipart/");
    }

    /**
     * Whether {@code e} escaped Quarkus' form parser, which reads a multipart body before any resource runs: what it
     * throws on a malformed body is not always an {@link IOException} (an empty {@code boundary=} fails with a
     * {@code StringIndexOutOfBoundsException}, a part header line without a colon with a
     * {@code MalformedMessageException}, a part's unknown charset with a {@code RuntimeException}), and all of it is
     * the body's fault, not ours.
     */
    static boolean thrownReadingTheForm(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            for (StackTraceElement frame : t.getStackTrace()) {
                if (frame.getClassName().equals(FORM_BODY_HANDLER)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** What to tell the client: the parser's own I/O message when it has one (the unknown charset's name). */
    private static String formFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof IOException && t.getMessage() != null && !t.getMessage().isBlank()) {
                return firstLine(t.getMessage());
            }
        }
        return "malformed multipart body";
    }

    static String describe(JsonProcessingException e) {
        String message = e.getOriginalMessage();
        if (e instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
            String field = mapping.getPath().stream()
                    .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                    .reduce((a, b) -> b.startsWith("[") ? a + b : a + "." + b).orElse("");
            message = "field \"" + field + "\": " + firstLine(message);
        }
        return firstLine(message == null ? "malformed JSON" : message);
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    private static Response envelope(RoutingContext rc, int status, String type, String message) {
        return Response.status(status)
                .header("Content-Type", ErrorStyle.CONTENT_TYPE)
                .entity(EdgeResponses.styleOf(rc).render(type, message))
                .build();
    }
}
