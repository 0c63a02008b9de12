package dev.cli2api.config;

/** The {@code CLI2API_JOB_HARD_CAP_MULT} rule: a finite float in [1, 1000], anything else means 3.0. */
public final class HardCapMultiplier {

    private HardCapMultiplier() {
    }

    public static double parse(String raw) {
        if (raw == null) {
            return Cli2ApiConfig.DEFAULT_HARD_CAP_MULT;
        }
        String s = raw.trim();
        // Java's parser also accepts "Infinity", hex floats and a trailing 'd'/'f'; Go's does not
        if (s.isEmpty() || !s.matches("[-+]?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?")) {
            return Cli2ApiConfig.DEFAULT_HARD_CAP_MULT;
        }
        double v;
        try {
            v = Double.parseDouble(s);
        } catch (NumberFormatException e) {
            return Cli2ApiConfig.DEFAULT_HARD_CAP_MULT;
        }
        if (!Double.isFinite(v) || v < 1 || v > 1000) {
            return Cli2ApiConfig.DEFAULT_HARD_CAP_MULT;
        }
        return v;
    }
}
