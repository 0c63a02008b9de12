package dev.cli2api.upstream;

import org.eclipse.microprofile.rest.client.ext.ClientHeadersFactory;

import jakarta.ws.rs.core.MultivaluedHashMap;
import jakarta.ws.rs.core.MultivaluedMap;

/** Adds {@code Authorization: Bearer <token>} to every MuleRun job call, reading the current token each time. */
final class BearerTokenHeaders implements ClientHeadersFactory {

    private final MuleRunUpstream upstream;

    BearerTokenHeaders(MuleRunUpstream upstream) {
        this.upstream = upstream;
    }

    @Override
    public MultivaluedMap<String, String> update(MultivaluedMap<String, String> incoming,
            MultivaluedMap<String, String> outgoing) {
        MultivaluedMap<String, String> headers = new MultivaluedHashMap<>();
        headers.putSingle("Authorization", "Bearer " + upstream.token());
        return headers;
    }
}
