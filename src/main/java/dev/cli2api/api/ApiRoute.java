package dev.cli2api.api;

import java.util.Set;

/**
 * One route of the public API as the edge sees it: its path template ({@code {name}} matches one
 * segment), the methods it answers, its error envelope, whether it needs an inbound API key, and
 * how it reports an oversized body.
 */
public record ApiRoute(String template, Set<String> methods, ErrorStyle style, boolean authenticated,
        BodyLimit bodyLimit) {

    /** Key under which the matched route is stored in the Vert.x routing context. */
    public static final String CONTEXT_KEY = "cli2api.route";

    private static final Set<String> FORM_ROUTES = Set.of("/v1/images/edits", "/v1/videos", "/v1/audio/music");
    /** The streaming pass-through proxies, whose request headers go upstream. */
    private static final Set<String> PROXY_ROUTES = Set.of("/v1/chat/completions", "/v1/responses", "/v1/messages");
    /** Routes whose answer starts only once an upstream call has answered: the proxies, the waits, the video bytes. */
    private static final Set<String> UPSTREAM_FIRST_ROUTES = Set.of("/v1/chat/completions", "/v1/responses",
            "/v1/messages", "/v1/images/generations", "/v1/images/edits", "/v1/audio/speech",
            "/v1/videos/{id}/content");

    /**
     * True when {@code path} (no query string) matches the template segment by segment. Every request is matched
     * against the table, so this walks both strings in place instead of splitting them.
     */
    public boolean matches(String path) {
        if (path.isEmpty() || path.charAt(0) != '/') {
            return false;
        }
        int t = 1;
        int p = 1;
        while (true) {
            int tEnd = segmentEnd(template, t);
            int pEnd = segmentEnd(path, p);
            int length = tEnd - t;
            boolean variable = length >= 2 && template.charAt(t) == '{' && template.charAt(tEnd - 1) == '}';
            boolean same = variable ? pEnd > p : pEnd - p == length && template.regionMatches(t, path, p, length);
            if (!same) {
                return false;
            }
            boolean templateDone = tEnd == template.length();
            boolean pathDone = pEnd == path.length();
            if (templateDone || pathDone) {
                return templateDone && pathDone;
            }
            t = tEnd + 1;
            p = pEnd + 1;
        }
    }

    private static int segmentEnd(String s, int from) {
        int slash = s.indexOf('/', from);
        return slash < 0 ? s.length() : slash;
    }

    /**
     * Whether a POST here may be a {@code multipart/form-data} form as well as JSON: image edits (spec §1.13), and the
     * video and music jobs, as the OpenAI SDKs send {@code videos.create}.
     */
    public boolean takesForms() {
        return FORM_ROUTES.contains(template);
    }

    /**
     * Whether this route answers only once an upstream call has answered (a proxy, a job wait, the video content), so
     * that a client gone before any answer was written ended the call the way the reference reports it: with a 502
     * (spec §2.5 for the waits; the reference's proxies answer a cancelled upstream call with their 502).
     */
    public boolean answersAfterUpstream() {
        return UPSTREAM_FIRST_ROUTES.contains(template);
    }

    /** Whether this is a pass-through proxy (its request goes upstream, headers and all). */
    public boolean isProxy() {
        return PROXY_ROUTES.contains(template);
    }

    /** The {@code Allow} header value for this route. */
    public String allowHeader() {
        return String.join(", ", methods.stream().sorted().toList());
    }
}
