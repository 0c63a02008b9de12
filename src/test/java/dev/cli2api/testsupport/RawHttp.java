package dev.cli2api.testsupport;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** Sends hand-written HTTP/1.1 requests, for cases clients refuse to produce (lying Content-Length, odd methods). */
public final class RawHttp {

    private RawHttp() {
    }

    /** Writes {@code head} (CRLF line endings added) and {@code body}, then reads until the server closes or 5 s pass. */
    public static String exchange(int port, String head, byte[] body) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(5000);
            OutputStream out = socket.getOutputStream();
            out.write((head.replace("\n", "\r\n") + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.write(body);
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            byte[] buf = new byte[8192];
            try {
                int n;
                while ((n = in.read(buf)) > 0) {
                    received.write(buf, 0, n);
                    String text = received.toString(StandardCharsets.ISO_8859_1);
                    if (complete(text)) {
                        break;
                    }
                }
            } catch (java.net.SocketTimeoutException | java.net.SocketException e) {
                // return what arrived
            }
            return received.toString(StandardCharsets.ISO_8859_1);
        }
    }

    private static boolean complete(String text) {
        int headEnd = text.indexOf("\r\n\r\n");
        if (headEnd < 0) {
            return false;
        }
        String head = text.substring(0, headEnd).toLowerCase();
        int cl = head.indexOf("content-length:");
        if (cl < 0) {
            return head.contains("transfer-encoding: chunked") ? text.endsWith("0\r\n\r\n") : true;
        }
        int lineEnd = head.indexOf("\r\n", cl);
        long length = Long.parseLong(head.substring(cl + 15, lineEnd < 0 ? head.length() : lineEnd).trim());
        return text.length() - headEnd - 4 >= length;
    }
}
