package dev.cli2api.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** A sane caller id is kept; anything else gets {@code <host>/<10 chars>-<six digits>}, unique per request. */
class RequestIdsTest {

    private static final String GENERATED = ".+/[A-Za-z0-9]{10}-[0-9]{6}";

    @Test
    void aSaneInboundIdIsKeptTrimmed() {
        assertEquals("req-123", RequestIds.forRequest("req-123"));
        assertEquals("abc/DEF_9", RequestIds.forRequest("  abc/DEF_9 "));
        String longest = "x".repeat(200);
        assertEquals(longest, RequestIds.forRequest(longest));
    }

    @Test
    void otherwiseAnIdIsGeneratedWithASixDigitCounter() {
        for (String inbound : new String[] { null, "", "   ", "has space", "tab\tinside", "ünïcode", "x".repeat(201),
                "n\0l" }) {
            String id = RequestIds.forRequest(inbound);
            assertTrue(id.matches(GENERATED), inbound + " -> " + id);
        }
    }

    @Test
    void generatedIdsDifferAndShareTheirPrefix() {
        String first = RequestIds.forRequest(null);
        String second = RequestIds.forRequest(null);
        assertNotEquals(first, second);
        assertEquals(first.substring(0, first.lastIndexOf('-')), second.substring(0, second.lastIndexOf('-')));
        int a = Integer.parseInt(first.substring(first.lastIndexOf('-') + 1));
        int b = Integer.parseInt(second.substring(second.lastIndexOf('-') + 1));
        assertEquals((a + 1) % 1_000_000, b);
    }
}
