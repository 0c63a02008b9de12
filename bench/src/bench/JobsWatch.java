package bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Watches the {@code jobs} table and the fake upstream's counters while workers drain the queue, and prints one JSON
 * line: time from the first claimed job to the last terminal one, jobs/s, failures, how long submitting every job
 * took, the poll rate from the first poll to the last (per upstream token = per instance), and a 1 s timeline.
 * Usage: {@code JobsWatch --jdbc URL --fake http://127.0.0.1:P --total N [--timeout-s 600]}.
 */
public final class JobsWatch {

    private JobsWatch() {
    }

    public static void main(String[] argv) throws Exception {
        Args args = new Args(argv);
        String jdbc = args.required("jdbc");
        String fake = args.required("fake");
        int total = args.integer("total", 10_000);
        long deadline = System.nanoTime() + args.integer("timeout-s", 600) * 1_000_000_000L;
        HttpClient http = HttpClient.newHttpClient();
        String sql = "SELECT count(*) FILTER (WHERE status IN ('completed', 'failed')), "
                + "count(*) FILTER (WHERE status = 'failed'), count(*) FILTER (WHERE submit_state <> 'pending') "
                + "FROM jobs";
        long t0 = -1;
        long t10 = -1;
        long t90 = -1;
        long tEnd = -1;
        long tAllSubmitted = -1;
        long tFirstPoll = -1;
        long tLastPoll = -1;
        int failed = 0;
        int terminal = 0;
        JsonObject statsStart = null;
        JsonObject statsFirstPoll = null;
        JsonObject statsLastPoll = null;
        long lastPolls = 0;
        long nextTimeline = 0;
        JsonArray timeline = new JsonArray();
        try (Connection c = DriverManager.getConnection(jdbc + (jdbc.contains("?") ? "&" : "?")
                + "ApplicationName=bench-watch", "postgres", ""); Statement st = c.createStatement()) {
            while (System.nanoTime() < deadline) {
                int touched;
                try (ResultSet rs = st.executeQuery(sql)) {
                    rs.next();
                    terminal = rs.getInt(1);
                    failed = rs.getInt(2);
                    touched = rs.getInt(3);
                }
                long now = System.nanoTime();
                JsonObject stats = stats(http, fake);
                long polls = stats.getLong("polls");
                if (t0 < 0 && touched > 0) {
                    t0 = now;
                    statsStart = stats;
                }
                if (tAllSubmitted < 0 && touched >= total) {
                    tAllSubmitted = now;
                }
                if (polls > 0 && tFirstPoll < 0) {
                    tFirstPoll = now;
                    statsFirstPoll = stats;
                }
                if (polls > lastPolls) {
                    tLastPoll = now;
                    statsLastPoll = stats;
                    lastPolls = polls;
                }
                if (t0 >= 0 && now >= nextTimeline) {
                    timeline.add(new JsonArray().add(round((now - t0) / 1e9)).add(touched).add(terminal).add(polls));
                    nextTimeline = now + 1_000_000_000L;
                }
                if (t10 < 0 && terminal >= total / 10) {
                    t10 = now;
                }
                if (t90 < 0 && terminal >= total * 9 / 10) {
                    t90 = now;
                }
                if (terminal >= total) {
                    tEnd = now;
                    break;
                }
                Thread.sleep(100);
            }
        }
        JsonObject statsEnd = stats(http, fake);
        JsonObject out = new JsonObject().put("total", total).put("terminal", terminal).put("failed", failed);
        if (t0 < 0 || tEnd < 0) {
            System.out.println(out.put("error", "timed out").encode());
            System.exit(1);
        }
        double elapsed = (tEnd - t0) / 1e9;
        double pollPhase = (tLastPoll - tFirstPoll) / 1e9;
        long polls = statsEnd.getLong("polls") - statsStart.getLong("polls");
        long submits = statsEnd.getLong("submits") - statsStart.getLong("submits");
        long phasePolls = statsLastPoll.getLong("polls") - statsFirstPoll.getLong("polls");
        JsonObject perToken = new JsonObject();
        JsonObject endTokens = statsLastPoll.getJsonObject("polls_by_token");
        JsonObject startTokens = statsFirstPoll.getJsonObject("polls_by_token");
        for (String token : endTokens.fieldNames()) {
            long n = endTokens.getLong(token) - startTokens.getLong(token, 0L);
            perToken.put(token, round(n / pollPhase));
        }
        out.put("elapsed_s", round(elapsed)).put("jobs_per_s", round(total / elapsed))
                .put("jobs_per_s_10_to_90", round(total * 0.8 / ((t90 - t10) / 1e9))).put("submits", submits)
                .put("polls", polls).put("upstream_calls_per_s", round((polls + submits) / elapsed))
                .put("submit_phase_s", round((tAllSubmitted - t0) / 1e9))
                .put("submits_per_s", round(total / ((tAllSubmitted - t0) / 1e9)))
                .put("poll_phase_s", round(pollPhase)).put("polls_per_s", round(phasePolls / pollPhase))
                .put("polls_per_s_by_instance", perToken)
                .put("timeline_s_submitted_terminal_polls", timeline);
        System.out.println(out.encode());
    }

    private static JsonObject stats(HttpClient http, String fake) throws Exception {
        HttpResponse<String> res = http.send(HttpRequest.newBuilder(URI.create(fake + "/stats")).build(),
                HttpResponse.BodyHandlers.ofString());
        return new JsonObject(res.body());
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }
}
