package dev.cli2api.usage;

import java.sql.SQLException;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.cli2api.api.ApiException;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;

/** {@code GET /v1/usage}: calls, errors, tokens and bytes per bucket over a time window (spec §1.18, §6.5). */
@Path("/v1/usage")
public class UsageResource {

    static final String CONTENT_TYPE = "application/json; charset=utf-8";

    private final UsageStore store;
    private final ObjectMapper json;

    public UsageResource(UsageStore store, ObjectMapper json) {
        this.store = store;
        this.json = json;
    }

    @GET
    @Blocking
    @Produces(CONTENT_TYPE)
    public Response usage(@QueryParam("from") String from, @QueryParam("to") String to,
            @QueryParam("group_by") String groupBy, @QueryParam("model") String model,
            @QueryParam("endpoint") String endpoint) {
        UsageQuery query = UsageQuery.parse(from, to, groupBy, model, endpoint, Instant.now());
        UsageSummary summary;
        try {
            summary = store.aggregate(query.fromSeconds(), query.toSeconds(), query.grouping(), query.model(),
                    query.endpoint());
        } catch (SQLException e) {
            throw new ApiException(500, "internal_error", "usage query failed: " + e.getMessage(), e);
        }
        return Response.ok(render(query, summary)).header("Content-Type", CONTENT_TYPE).build();
    }

    private ObjectNode render(UsageQuery query, UsageSummary summary) {
        ObjectNode out = json.createObjectNode();
        out.put("from", rfc3339(query.from()));
        out.put("to", rfc3339(query.to()));
        out.put("group_by", query.grouping().wire());
        ObjectNode filter = out.putObject("filter");
        filter.put("model", query.model().orElse(""));
        filter.put("endpoint", query.endpoint().orElse(""));
        ArrayNode rows = out.putArray("rows");
        for (UsageSummary.Row row : summary.rows()) {
            ObjectNode r = rows.addObject();
            r.put("bucket", row.bucket());
            counts(r, row.calls(), row.errors(), row.promptTokens(), row.completionTokens(), row.bytesOut());
        }
        UsageSummary.Totals t = summary.totals();
        counts(out.putObject("totals"), t.calls(), t.errors(), t.promptTokens(), t.completionTokens(), t.bytesOut());
        return out;
    }

    private static void counts(ObjectNode node, long calls, long errors, long prompt, long completion, long bytes) {
        node.put("calls", calls);
        node.put("errors", errors);
        node.put("prompt_tokens", prompt);
        node.put("completion_tokens", completion);
        node.put("bytes_out", bytes);
    }

    private static String rfc3339(Instant t) {
        return DateTimeFormatter.ISO_INSTANT.format(t.truncatedTo(ChronoUnit.SECONDS));
    }
}
