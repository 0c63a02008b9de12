package bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Resident memory and live threads of a set of processes, read from {@code /proc/<pid>/status}. */
final class ProcStats {

    private final List<Long> pids = new ArrayList<>();

    /** {@code spec} is a comma-separated list of pids; empty means none. */
    ProcStats(String spec) {
        if (spec != null) {
            for (String p : spec.split(",")) {
                if (!p.isBlank()) {
                    pids.add(Long.parseLong(p.trim()));
                }
            }
        }
    }

    boolean any() {
        return !pids.isEmpty();
    }

    /** {rssKiB, threads} summed over the processes. */
    long[] sample() {
        long rss = 0;
        long threads = 0;
        for (long pid : pids) {
            try {
                for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                    if (line.startsWith("VmRSS:")) {
                        rss += Long.parseLong(line.replaceAll("\\D", ""));
                    } else if (line.startsWith("Threads:")) {
                        threads += Long.parseLong(line.replaceAll("\\D", ""));
                    }
                }
            } catch (IOException | RuntimeException e) {
                // process gone: counts as zero
            }
        }
        return new long[] {rss, threads};
    }
}
