package dev.cli2api.api;

import java.util.List;
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

    private List<String> segments() {
        return List.of(template.substring(1).split("/", -1));
    }

    /** True when {@code path} (no query string) matches the template segment by segment. */
    public boolean matches(String path) {
        if (path.isEmpty() || path.charAt(0) != '/') {
            return false;
        }
        List<String> expected = segments();
        String[] actual = path.substring(1).split("/", -1);
        if (actual.length != expected.size()) {
            return false;
        }
        for (int i = 0; i < actual.length; i++) {
            String want = expected.get(i);
            boolean variable = want.startsWith("{") && want.endsWith("}");
            if (variable ? actual[i].isEmpty() : !want.equals(actual[i])) {
                return false;
            }
        }
        return true;
    }

    /** The {@code Allow} header value for this route. */
    public String allowHeader() {
        return String.join(", ", methods.stream().sorted().toList());
    }
}
