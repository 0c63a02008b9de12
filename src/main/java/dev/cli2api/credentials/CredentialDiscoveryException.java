package dev.cli2api.credentials;

/** Credential discovery could not run at all (no home directory); startup should fail with its message. */
public class CredentialDiscoveryException extends RuntimeException {

    public CredentialDiscoveryException(String message) {
        super(message);
    }
}
