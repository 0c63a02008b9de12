package dev.cli2api.proxy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

import org.junit.jupiter.api.Test;

import dev.cli2api.api.ApiException;

/** Gzip request bodies decoded as Go's {@code compress/gzip} reader decodes them (spec §1.9, §2.7). */
class GzipBodyTest {

    private static final byte[] PLAIN = "{\"model\":\"gpt-5\",\"messages\":[]}".getBytes(StandardCharsets.UTF_8);

    private static byte[] gzip(byte[] plain) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(plain);
        }
        return out.toByteArray();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    private static String refused(byte[] encoded) {
        ApiException e = assertThrows(ApiException.class, () -> GzipBody.decode(encoded, 1 << 20));
        assertEquals(400, e.status());
        assertEquals("invalid_request", e.type());
        return e.getMessage();
    }

    @Test
    void decodesOneMember() throws IOException {
        assertArrayEquals(PLAIN, GzipBody.decode(gzip(PLAIN), 1 << 20));
    }

    @Test
    void decodesMembersOneAfterAnother() throws IOException {
        byte[] a = Arrays.copyOfRange(PLAIN, 0, 10);
        byte[] b = Arrays.copyOfRange(PLAIN, 10, PLAIN.length);
        assertArrayEquals(PLAIN, GzipBody.decode(concat(gzip(a), gzip(b)), 1 << 20));
        assertArrayEquals(PLAIN, GzipBody.decode(concat(gzip(new byte[0]), gzip(PLAIN)), 1 << 20));
    }

    @Test
    void readsTheOptionalHeaderFields() {
        // FEXTRA (3 bytes), FNAME, FCOMMENT and a header CRC, as RFC 1952 §2.3 lays them out
        ByteArrayOutputStream header = new ByteArrayOutputStream();
        header.writeBytes(new byte[] { 0x1f, (byte) 0x8b, 8, 2 | 4 | 8 | 16, 0, 0, 0, 0, 0, (byte) 0xff });
        header.writeBytes(new byte[] { 3, 0, 'a', 'b', 'c' });
        header.writeBytes("name.json\0".getBytes(StandardCharsets.ISO_8859_1));
        header.writeBytes("a comment\0".getBytes(StandardCharsets.ISO_8859_1));
        CRC32 headerCrc = new CRC32();
        headerCrc.update(header.toByteArray());
        header.write((int) headerCrc.getValue() & 0xff);
        header.write((int) (headerCrc.getValue() >> 8) & 0xff);
        byte[] body = concat(header.toByteArray(), deflated(PLAIN), trailer(PLAIN));
        assertArrayEquals(PLAIN, GzipBody.decode(body, 1 << 20));

        body[header.size() - 1] ^= 1; // the header CRC no longer matches
        assertEquals("failed to read request body: invalid gzip body: gzip: invalid header", refused(body));
    }

    @Test
    void bytesAfterAMemberThatAreNotOneAreRefused() throws IOException {
        // GZIPInputStream stopped at them silently and the body went upstream without them
        assertEquals("failed to read request body: gzip: invalid header",
                refused(concat(gzip(PLAIN), "garbage after the member".getBytes(StandardCharsets.UTF_8))));
        assertEquals("failed to read request body: unexpected EOF",
                refused(concat(gzip(PLAIN), new byte[] { 0x1f, (byte) 0x8b, 8 })));
        assertEquals("failed to read request body: unexpected EOF", refused(concat(gzip(PLAIN), new byte[1])));
    }

    @Test
    void aBadOrMissingFirstHeaderIsAnInvalidGzipBody() throws IOException {
        assertEquals("failed to read request body: invalid gzip body: gzip: invalid header", refused(PLAIN));
        assertEquals("failed to read request body: invalid gzip body: EOF", refused(new byte[0]));
        assertEquals("failed to read request body: invalid gzip body: unexpected EOF",
                refused(Arrays.copyOf(gzip(PLAIN), 5)));
    }

    @Test
    void aTruncatedStreamIsAnUnexpectedEof() throws IOException {
        byte[] whole = gzip(PLAIN);
        for (int cut : new int[] { 1, 4, 8, 12 }) {
            assertEquals("failed to read request body: unexpected EOF",
                    refused(Arrays.copyOf(whole, whole.length - cut)), "cut " + cut);
        }
    }

    @Test
    void aTrailerThatDoesNotMatchIsAnInvalidChecksum() throws IOException {
        byte[] crc = gzip(PLAIN);
        crc[crc.length - 8] ^= 1;
        assertEquals("failed to read request body: gzip: invalid checksum", refused(crc));
        byte[] size = gzip(PLAIN);
        size[size.length - 4] ^= 1;
        assertEquals("failed to read request body: gzip: invalid checksum", refused(size));
    }

    @Test
    void corruptDeflateDataIsRefused() throws IOException {
        byte[] body = gzip(PLAIN);
        body[10] = (byte) 0xff; // block type 3 (reserved)
        assertEquals("failed to read request body: flate: corrupt input before offset 11", refused(body));
    }

    @Test
    void theCapCountsDecodedBytesOverAllMembers() throws IOException {
        byte[] half = new byte[600];
        ApiException tooLarge = assertThrows(ApiException.class,
                () -> GzipBody.decode(concat(gzip(half), gzip(half)), 1000));
        assertEquals(413, tooLarge.status());
        assertEquals(1200, GzipBody.decode(concat(gzip(half), gzip(half)), 1200).length);
    }

    private static byte[] deflated(byte[] plain) {
        Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        deflater.setInput(plain);
        deflater.finish();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[1024];
        while (!deflater.finished()) {
            out.write(buffer, 0, deflater.deflate(buffer));
        }
        deflater.end();
        return out.toByteArray();
    }

    private static byte[] trailer(byte[] plain) {
        CRC32 crc = new CRC32();
        crc.update(plain);
        long c = crc.getValue();
        int n = plain.length;
        return new byte[] { (byte) c, (byte) (c >> 8), (byte) (c >> 16), (byte) (c >> 24), (byte) n, (byte) (n >> 8),
                (byte) (n >> 16), (byte) (n >> 24) };
    }
}
