package dev.cli2api.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

/** Lone UTF-16 surrogates read from JSON escapes become U+FFFD, as in Go's decoder; pairs stay. */
class JsonBodiesTest {

    private final JsonBodies bodies = new JsonBodies(new ObjectMapper());

    @Test
    void loneSurrogatesBecomeReplacementCharactersAndPairsStay() {
        String clean = "boat \uD83D\uDE00 on a river";
        assertSame(clean, JsonBodies.withoutLoneSurrogates(clean));
        assertEquals("a\uFFFDb", JsonBodies.withoutLoneSurrogates("a\uD800b"));
        assertEquals("a\uFFFD", JsonBodies.withoutLoneSurrogates("a\uDBFF"));
        assertEquals("\uFFFDa", JsonBodies.withoutLoneSurrogates("\uDC00a"));
        // a low surrogate before a high one is two lone halves, not a pair
        assertEquals("\uFFFD\uFFFD", JsonBodies.withoutLoneSurrogates("\uDE00\uD83D"));
        assertEquals("\uFFFD\uD83D\uDE00", JsonBodies.withoutLoneSurrogates("\uD83D\uD83D\uDE00"));
    }

    @Test
    void everyStringAndFieldNameOfABodyIsCleanedInOrder() throws Exception {
        var tree = bodies.tree(("{\"prompt\":\"x\\ud800\",\"k\\udc00\":[\"\\ud83d\\ude00\",{\"deep\":\"\\udfff\"}],"
                + "\"n\":1}").getBytes(java.nio.charset.StandardCharsets.UTF_8));

        assertEquals("{\"prompt\":\"x\uFFFD\",\"k\uFFFD\":[\"\uD83D\uDE00\",{\"deep\":\"\uFFFD\"}],\"n\":1}",
                new ObjectMapper().writeValueAsString(tree));
    }
}
