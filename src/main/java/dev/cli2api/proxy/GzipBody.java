package dev.cli2api.proxy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

import dev.cli2api.api.ApiException;
import dev.cli2api.api.BodyLimit;

/** Decodes a gzip request body in memory with the body cap applied to the decoded bytes (spec §2.7). */
final class GzipBody {

    private static final String READ_FAILED = "failed to read request body: ";

    private GzipBody() {
    }

    /**
     * The decoded bytes of {@code encoded}.
     *
     * @throws ApiException 400 for a bad header or a truncated stream, 413 when the decoded body exceeds {@code max}
     */
    static byte[] decode(byte[] encoded, long max) {
        GZIPInputStream in;
        try {
            in = new GZIPInputStream(new ByteArrayInputStream(encoded), 8192);
        } catch (EOFException e) {
            throw unreadable("unexpected EOF");
        } catch (IOException e) {
            throw unreadable("invalid gzip body: gzip: invalid header");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(32, encoded.length * 4));
        byte[] buffer = new byte[8192];
        long total = 0;
        try (in) {
            int n;
            while ((n = in.read(buffer)) > 0) {
                total += n;
                if (total > max) {
                    throw BodyLimit.TOO_LARGE_413.error(null);
                }
                out.write(buffer, 0, n);
            }
        } catch (EOFException e) {
            throw unreadable("unexpected EOF");
        } catch (ZipException e) {
            throw unreadable("invalid gzip body: gzip: " + e.getMessage());
        } catch (IOException e) {
            throw unreadable(e.getMessage());
        }
        return out.toByteArray();
    }

    private static ApiException unreadable(String detail) {
        return new ApiException(400, "invalid_request", READ_FAILED + detail);
    }
}
