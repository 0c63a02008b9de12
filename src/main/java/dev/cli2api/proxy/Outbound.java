package dev.cli2api.proxy;

import java.util.Optional;

/**
 * What goes upstream for one proxied request: the path, the exact body bytes, whether the inbound
 * Content-Encoding must be dropped (gzip decoded here), and the model as the client named it.
 */
record Outbound(String path, byte[] body, boolean decoded, Optional<String> model) {
}
