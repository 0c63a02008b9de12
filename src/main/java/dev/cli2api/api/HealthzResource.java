package dev.cli2api.api;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** {@code GET /healthz}: plain {@code ok} for load balancers; needs no API key. */
@Path("/healthz")
public class HealthzResource {

    @GET
    @Produces(MediaType.TEXT_PLAIN)
    public String ok() {
        return "ok";
    }
}
