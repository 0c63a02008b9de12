package dev.cli2api.config;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses and prints durations the way the reference service accepts and logs them: Go duration
 * syntax ({@code 5m}, {@code 1h30m}, {@code 300ms}, {@code -2s}, {@code 0}) or a bare integer
 * meaning seconds ({@code 30}).
 */
public final class GoDurations {

    private static final Pattern BARE_SECONDS = Pattern.compile("[-+]?\\d+");
    private static final Pattern SEGMENT = Pattern.compile("(\\d*\\.?\\d*)(ns|us|µs|μs|ms|s|m|h)");

    /** Go's largest duration: {@code 2562047h47m16.854775807s}. */
    public static final Duration MAX = Duration.ofNanos(Long.MAX_VALUE);

    private GoDurations() {
    }

    /** Parses {@code raw} (trimmed); empty or unparsable input yields an empty result. */
    public static Optional<Duration> parse(String raw) {
        if (raw == null) {
            return Optional.empty();
        }
        String s = raw.trim();
        if (s.isEmpty()) {
            return Optional.empty();
        }
        if (BARE_SECONDS.matcher(s).matches()) {
            try {
                // a Go duration is int64 nanoseconds (about 292 years): past that it does not parse, here as there
                // (10000000000 seconds was taken, and printing it failed startup)
                return Optional.of(Duration.ofNanos(Math.multiplyExact(Long.parseLong(s), 1_000_000_000L)));
            } catch (NumberFormatException | ArithmeticException e) {
                return Optional.empty();
            }
        }
        boolean negative = false;
        if (s.charAt(0) == '-' || s.charAt(0) == '+') {
            negative = s.charAt(0) == '-';
            s = s.substring(1);
        }
        if (s.isEmpty()) {
            return Optional.empty();
        }
        Matcher m = SEGMENT.matcher(s);
        int pos = 0;
        BigDecimal nanos = BigDecimal.ZERO;
        while (pos < s.length()) {
            if (!m.find(pos) || m.start() != pos) {
                return Optional.empty();
            }
            String number = m.group(1);
            if (number.isEmpty() || number.equals(".")) {
                return Optional.empty();
            }
            nanos = nanos.add(new BigDecimal(number).multiply(BigDecimal.valueOf(unitNanos(m.group(2)))));
            pos = m.end();
        }
        try {
            long total = nanos.longValueExact();
            return Optional.of(Duration.ofNanos(negative ? -total : total));
        } catch (ArithmeticException e) {
            // fractional nanoseconds are truncated like Go does; overflow is rejected
            try {
                long total = nanos.toBigInteger().longValueExact();
                return Optional.of(Duration.ofNanos(negative ? -total : total));
            } catch (ArithmeticException overflow) {
                return Optional.empty();
            }
        }
    }

    /** Parses {@code raw}, falling back to {@code fallback} when it is empty or unparsable. */
    public static Duration parseOr(String raw, Duration fallback) {
        return parse(raw).orElse(fallback);
    }

    /** Parses an optional raw value, falling back to {@code fallback}. */
    public static Duration parseOr(Optional<String> raw, Duration fallback) {
        return raw.flatMap(GoDurations::parse).orElse(fallback);
    }

    private static long unitNanos(String unit) {
        return switch (unit) {
            case "ns" -> 1L;
            case "us", "µs", "μs" -> 1_000L;
            case "ms" -> 1_000_000L;
            case "s" -> 1_000_000_000L;
            case "m" -> 60_000_000_000L;
            case "h" -> 3_600_000_000_000L;
            default -> throw new IllegalArgumentException(unit);
        };
    }

    /** Whether {@code d} is above zero: intervals ≤ 0 switch a periodic task off. */
    public static boolean positive(Duration d) {
        return !d.isNegative() && !d.isZero();
    }

    /** Formats like Go's {@code time.Duration.String()}: {@code 5m0s}, {@code 168h0m0s}, {@code 1.5s}, {@code 0s}. */
    public static String format(Duration d) {
        // a Duration past Go's range (retention × multiplier, say) prints as Go's largest
        long total = d.compareTo(MAX) > 0 ? Long.MAX_VALUE : d.compareTo(MAX.negated()) < 0 ? -Long.MAX_VALUE
                : d.toNanos();
        if (total == 0) {
            return "0s";
        }
        StringBuilder out = new StringBuilder();
        if (total < 0) {
            out.append('-');
            total = -total;
        }
        if (total < 1_000_000_000L) {
            if (total < 1_000L) {
                return out.append(total).append("ns").toString();
            }
            if (total < 1_000_000L) {
                return out.append(fraction(total, 1_000L)).append("µs").toString();
            }
            return out.append(fraction(total, 1_000_000L)).append("ms").toString();
        }
        long hours = total / 3_600_000_000_000L;
        long rest = total % 3_600_000_000_000L;
        long minutes = rest / 60_000_000_000L;
        long secondsNanos = rest % 60_000_000_000L;
        if (hours > 0) {
            out.append(hours).append('h');
        }
        if (hours > 0 || minutes > 0) {
            out.append(minutes).append('m');
        }
        return out.append(fraction(secondsNanos, 1_000_000_000L)).append('s').toString();
    }

    private static String fraction(long value, long unit) {
        BigDecimal v = BigDecimal.valueOf(value).divide(BigDecimal.valueOf(unit));
        return v.stripTrailingZeros().toPlainString();
    }
}
