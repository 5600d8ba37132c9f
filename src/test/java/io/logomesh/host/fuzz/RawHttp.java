package io.logomesh.host.fuzz;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 over a plain socket to the host under test on loopback, so a test can send what no client
 * library would: raw request targets, over-long lines, huge declared lengths.
 */
final class RawHttp {

    /** One answer: status, lower-cased header block and body as text. */
    record Answer(int status, String headers, String body) {
    }

    private RawHttp() {
    }

    static Answer send(int port, String method, String target, Map<String, String> headers, byte[] body)
            throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(20_000);
            StringBuilder head = new StringBuilder(method).append(' ').append(target).append(" HTTP/1.1\r\n")
                    .append("Host: 127.0.0.1:").append(port).append("\r\nConnection: close\r\n");
            headers.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
            if (body != null && !headers.containsKey("Content-Length")) {
                head.append("Content-Length: ").append(body.length).append("\r\n");
            }
            head.append("\r\n");
            OutputStream out = socket.getOutputStream();
            out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
            if (body != null) {
                try {
                    out.write(body);
                } catch (IOException e) {
                    // the server may answer and close before reading a body it refuses
                }
            }
            out.flush();
            return read(socket.getInputStream());
        }
    }

    private static Answer read(InputStream in) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        int n;
        try {
            while ((n = in.read(buffer)) > 0) {
                all.write(buffer, 0, n);
                if (complete(all.toString(StandardCharsets.ISO_8859_1))) {
                    break;
                }
            }
        } catch (java.net.SocketException e) {
            // reset after the answer: keep what arrived
        }
        String text = all.toString(StandardCharsets.ISO_8859_1);
        int split = text.indexOf("\r\n\r\n");
        if (!text.startsWith("HTTP/1.") || split < 0) {
            throw new IOException("no HTTP answer: " + text.substring(0, Math.min(200, text.length())));
        }
        int status = Integer.parseInt(text.substring(9, 12));
        String headers = text.substring(0, split).toLowerCase(Locale.ROOT);
        byte[] raw = text.substring(split + 4).getBytes(StandardCharsets.ISO_8859_1);
        byte[] body = headers.contains("transfer-encoding: chunked") ? dechunk(raw) : raw;
        return new Answer(status, headers, new String(body, StandardCharsets.UTF_8));
    }

    /** Whether the answer so far is whole (the server may keep the connection open to drain a body). */
    private static boolean complete(String text) {
        int split = text.indexOf("\r\n\r\n");
        if (split < 0) {
            return false;
        }
        String headers = text.substring(0, split).toLowerCase(Locale.ROOT);
        int length = headers.indexOf("content-length:");
        if (length >= 0) {
            int eol = headers.indexOf("\r\n", length);
            String value = headers.substring(length + 15, eol < 0 ? headers.length() : eol).trim();
            return text.length() - split - 4 >= Integer.parseInt(value);
        }
        return headers.contains("transfer-encoding: chunked") && text.endsWith("0\r\n\r\n");
    }

    private static byte[] dechunk(byte[] raw) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String s = new String(raw, StandardCharsets.ISO_8859_1);
        int at = 0;
        while (at < s.length()) {
            int eol = s.indexOf("\r\n", at);
            if (eol < 0) {
                break;
            }
            int size = Integer.parseInt(s.substring(at, eol).split(";")[0].trim(), 16);
            if (size == 0) {
                break;
            }
            out.write(raw, eol + 2, Math.min(size, raw.length - eol - 2));
            at = eol + 2 + size + 2;
        }
        return out.toByteArray();
    }
}
