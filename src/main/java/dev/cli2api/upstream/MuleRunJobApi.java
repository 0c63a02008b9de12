package dev.cli2api.upstream;

import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.Encoded;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * The MuleRun vendor job endpoints as a typed REST client: submit to a vendor path, poll a task under it, each with
 * the {@code Authorization: Bearer <token>} the caller passes (so a 401 names the token it rejected). Every HTTP
 * status comes back as a {@link Response} (the default exception mapper is off); {@link MuleRunJobs} classifies.
 */
@Path("")
interface MuleRunJobApi {

    /** {@code POST <base><vendorPath>} with the mapped JSON body. */
    @POST
    @Path("{vendorPath: .+}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    Uni<Response> submit(@Encoded @PathParam("vendorPath") String vendorPath,
            @HeaderParam("Authorization") String authorization, byte[] body);

    /** {@code GET <base><vendorPath>/<taskId>}. */
    @GET
    @Path("{vendorPath: .+}/{taskId}")
    @Produces(MediaType.APPLICATION_JSON)
    Uni<Response> poll(@Encoded @PathParam("vendorPath") String vendorPath, @PathParam("taskId") String taskId,
            @HeaderParam("Authorization") String authorization);
}
