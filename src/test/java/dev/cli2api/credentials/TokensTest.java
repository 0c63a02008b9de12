package dev.cli2api.credentials;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TokensTest {

    @Test
    void shouldClassifyTokensByPrefix() {
        assertTrue(Tokens.isMukKey("muk-abc"));
        assertFalse(Tokens.isJwt("muk-abc"));
        assertTrue(Tokens.isJwt("eyJhbGciOi.x.y"));
        assertFalse(Tokens.isMukKey("eyJhbGciOi.x.y"));
        for (String neither : new String[] { "mr_abc", "", null }) {
            assertFalse(Tokens.isMukKey(neither), String.valueOf(neither));
            assertFalse(Tokens.isJwt(neither), String.valueOf(neither));
        }
    }

    @Test
    void shouldRevealNothingButTheKindWhenRedacting() {
        assertEquals("muk-***", Tokens.redact("muk-secret"));
        assertEquals("eyJ***", Tokens.redact("eyJsecret"));
        assertEquals("***", Tokens.redact("mr_secret"));
    }

    @Test
    void shouldNotPrintTheTokenFromCredentialToString() {
        Credential credential = new Credential("muk-very-secret", "env:MULERUN_TOKEN", Credential.Origin.ENVIRONMENT);
        assertFalse(credential.toString().contains("very-secret"), credential.toString());
        assertTrue(credential.toString().contains("env:MULERUN_TOKEN"));
    }
}
