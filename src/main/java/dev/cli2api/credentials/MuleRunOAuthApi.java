package dev.cli2api.credentials;

import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * The two MuleRun OAuth endpoints as a typed REST client (spec §4.4). Every HTTP status comes back as a
 * {@link Response} (the default exception mapper is off); {@link OAuthClient} classifies.
 */
@Path("")
interface MuleRunOAuthApi {

    /** {@code POST /api/platform/users/cli-token} with the JWT as bearer and an empty JSON body. */
    @POST
    @Path(OAuthClient.EXCHANGE_PATH)
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    Uni<Response> exchange(@HeaderParam("Authorization") String authorization, String emptyBody);

    /** {@code POST /oauth2/token}: the refresh-token grant, form encoded. */
    @POST
    @Path(OAuthClient.TOKEN_PATH)
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.APPLICATION_JSON)
    Uni<Response> refresh(@FormParam("grant_type") String grantType, @FormParam("refresh_token") String refreshToken,
            @FormParam("client_id") String clientId);
}
