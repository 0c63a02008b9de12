package dev.cli2api.proxy;

import java.io.ByteArrayOutputStream;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

import dev.cli2api.api.ApiException;
import dev.cli2api.api.BodyLimit;

/**
 * Decodes a gzip request body in memory with the body cap applied to the decoded bytes (spec §2.7), as Go's
 * {@code compress/gzip} reader does: one or more members, each checked against its trailer (CRC-32 and size), and
 * whatever follows a member must be another member. {@code GZIPInputStream} would instead stop silently at bytes that
 * are not a gzip header and forward the body without them; here they are a 400, as they are for the reference.
 */
final class GzipBody {

    private static final String READ_FAILED = "failed to read request body: ";

    private static final int HEADER = 10;
    private static final int TRAILER = 8;
    private static final int FHCRC = 2;
    private static final int FEXTRA = 4;
    private static final int FNAME = 8;
    private static final int FCOMMENT = 16;

    /** Why a body cannot be decoded, worded as Go's reader words it. */
    private static final class Malformed extends Exception {
        Malformed(String message) {
            super(message, null, false, false);
        }
    }

    private GzipBody() {
    }

    /**
     * The decoded bytes of {@code encoded}.
     *
     * @throws ApiException 400 for a bad or missing header (first member: {@code invalid gzip body: …}), a truncated
     *         stream, corrupt data, a trailer that does not match or bytes after a member that are not one; 413 when
     *         the decoded body exceeds {@code max}
     */
    static byte[] decode(byte[] encoded, long max) {
        int at;
        try {
            at = header(encoded, 0);
        } catch (Malformed e) {
            throw unreadable("invalid gzip body: " + e.getMessage());
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(32, Math.min(encoded.length * 4, 1 << 20)));
        Inflater inflater = new Inflater(true);
        try {
            while (true) {
                at = member(inflater, encoded, at, out, max);
                if (at == encoded.length) {
                    return out.toByteArray();
                }
                at = header(encoded, at);
                inflater.reset();
            }
        } catch (Malformed e) {
            throw unreadable(e.getMessage());
        } finally {
            inflater.end();
        }
    }

    /** Checks the member header at {@code at} (RFC 1952 §2.3); returns where its deflate data starts. */
    private static int header(byte[] in, int at) throws Malformed {
        if (at == in.length) {
            throw new Malformed("EOF");
        }
        if (in.length - at < HEADER) {
            throw new Malformed("unexpected EOF");
        }
        if ((in[at] & 0xff) != 0x1f || (in[at + 1] & 0xff) != 0x8b || in[at + 2] != 8) {
            throw new Malformed("gzip: invalid header");
        }
        int flags = in[at + 3] & 0xff;
        int pos = at + HEADER;
        if ((flags & FEXTRA) != 0) {
            need(in, pos, 2);
            pos += 2 + ((in[pos] & 0xff) | (in[pos + 1] & 0xff) << 8);
            need(in, pos, 0);
        }
        if ((flags & FNAME) != 0) {
            pos = pastZero(in, pos);
        }
        if ((flags & FCOMMENT) != 0) {
            pos = pastZero(in, pos);
        }
        if ((flags & FHCRC) != 0) {
            need(in, pos, 2);
            CRC32 crc = new CRC32();
            crc.update(in, at, pos - at);
            if (((in[pos] & 0xff) | (in[pos + 1] & 0xff) << 8) != (int) (crc.getValue() & 0xffff)) {
                throw new Malformed("gzip: invalid header");
            }
            pos += 2;
        }
        return pos;
    }

    /**
     * Inflates the member whose deflate data starts at {@code at} into {@code out} and checks its trailer; returns
     * where the next member would start.
     */
    private static int member(Inflater inflater, byte[] in, int at, ByteArrayOutputStream out, long max)
            throws Malformed {
        inflater.setInput(in, at, in.length - at);
        CRC32 crc = new CRC32();
        byte[] buffer = new byte[8192];
        long size = 0;
        while (!inflater.finished()) {
            int n;
            try {
                n = inflater.inflate(buffer);
            } catch (DataFormatException e) {
                throw new Malformed("flate: corrupt input before offset " + (at + inflater.getBytesRead()));
            }
            if (n == 0 && !inflater.finished()) {
                // all the input there is was given: a stall is a stream that ends early (or wants a preset dictionary,
                // which gzip has no way to name)
                if (inflater.needsDictionary()) {
                    throw new Malformed("flate: corrupt input before offset " + (at + inflater.getBytesRead()));
                }
                throw new Malformed("unexpected EOF");
            }
            if (out.size() + (long) n > max) {
                throw BodyLimit.TOO_LARGE_413.error(null);
            }
            crc.update(buffer, 0, n);
            out.write(buffer, 0, n);
            size += n;
        }
        int end = at + (int) inflater.getBytesRead();
        need(in, end, TRAILER);
        long storedCrc = le32(in, end);
        long storedSize = le32(in, end + 4);
        if (storedCrc != crc.getValue() || storedSize != (size & 0xffffffffL)) {
            throw new Malformed("gzip: invalid checksum");
        }
        return end + TRAILER;
    }

    /** Fails unless {@code n} bytes are there at {@code pos}. */
    private static void need(byte[] in, int pos, int n) throws Malformed {
        if (pos < 0 || pos > in.length - n) {
            throw new Malformed("unexpected EOF");
        }
    }

    /** Where a zero-terminated header field that starts at {@code pos} ends, past its zero. */
    private static int pastZero(byte[] in, int pos) throws Malformed {
        for (int i = pos; i < in.length; i++) {
            if (in[i] == 0) {
                return i + 1;
            }
        }
        throw new Malformed("unexpected EOF");
    }

    private static long le32(byte[] in, int pos) {
        return (in[pos] & 0xffL) | (in[pos + 1] & 0xffL) << 8 | (in[pos + 2] & 0xffL) << 16
                | (in[pos + 3] & 0xffL) << 24;
    }

    private static ApiException unreadable(String detail) {
        return new ApiException(400, "invalid_request", READ_FAILED + detail);
    }
}
