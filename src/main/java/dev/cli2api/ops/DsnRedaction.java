package dev.cli2api.ops;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Masks secrets in connection strings before they reach a log line (spec §5.5): the whole
 * userinfo and the values of {@code authToken}, {@code auth_token}, {@code jwt} and
 * {@code password} query parameters, and of any other ending in {@code password} ({@code sslpassword}) (names
 * compared case-insensitively). A {@code jdbc:} prefix is
 * kept. Strings without {@code ://} and {@code file:} DSNs are returned unchanged.
 */
public final class DsnRedaction {

    private static final Set<String> SECRET_PARAMS = Set.of("authtoken", "auth_token", "jwt", "password");
    private static final String MASK = "***";

    private DsnRedaction() {
    }

    public static String redact(String dsn) {
        if (dsn == null || dsn.isEmpty()) {
            return "";
        }
        if (dsn.startsWith("jdbc:")) {
            return "jdbc:" + redact(dsn.substring(5));
        }
        if (dsn.startsWith("file:") || !dsn.contains("://")) {
            return dsn;
        }
        int schemeEnd = dsn.indexOf("://");
        String scheme = dsn.substring(0, schemeEnd);
        if (!scheme.matches("[A-Za-z][A-Za-z0-9+.-]*")) {
            return MASK;
        }
        String rest = dsn.substring(schemeEnd + 3);
        String fragment = "";
        int hash = rest.indexOf('#');
        if (hash >= 0) {
            fragment = rest.substring(hash);
            rest = rest.substring(0, hash);
        }
        String query = null;
        int q = rest.indexOf('?');
        if (q >= 0) {
            query = rest.substring(q + 1);
            rest = rest.substring(0, q);
        }
        int slash = rest.indexOf('/');
        String authority = slash >= 0 ? rest.substring(0, slash) : rest;
        String path = slash >= 0 ? rest.substring(slash) : "";
        int at = authority.lastIndexOf('@');
        if (at >= 0) {
            authority = escape(MASK) + "@" + authority.substring(at + 1);
        }
        StringBuilder out = new StringBuilder(scheme).append("://").append(authority).append(path);
        if (query != null) {
            out.append('?').append(redactQuery(query));
        }
        return out.append(fragment).toString();
    }

    private static String redactQuery(String query) {
        Map<String, java.util.List<String>> params = new TreeMap<>();
        for (String pair : query.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String key = decode(eq >= 0 ? pair.substring(0, eq) : pair);
            String value = eq >= 0 ? decode(pair.substring(eq + 1)) : "";
            String lower = key.toLowerCase(Locale.ROOT);
            // and any other password (PostgreSQL's sslpassword was shown in the startup line)
            if (SECRET_PARAMS.contains(lower) || lower.endsWith("password")) {
                value = MASK;
            }
            params.computeIfAbsent(key, k -> new java.util.ArrayList<>()).add(value);
        }
        StringBuilder out = new StringBuilder();
        params.forEach((key, values) -> values.forEach(value -> {
            if (out.length() > 0) {
                out.append('&');
            }
            out.append(escape(key)).append('=').append(escape(value));
        }));
        return out.toString();
    }

    private static String decode(String s) {
        try {
            return java.net.URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return s;
        }
    }

    /** Go's url.QueryEscape: everything but letters, digits and {@code -_.~} is percent-encoded. */
    static String escape(String s) {
        StringBuilder out = new StringBuilder();
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_'
                    || c == '.' || c == '~') {
                out.append((char) c);
            } else if (c == ' ') {
                out.append('+');
            } else {
                out.append('%').append(String.format("%02X", c));
            }
        }
        return out.toString();
    }
}
