package io.logomesh.host.egress;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;

/**
 * The head of one request a plugin sent to the egress proxy: {@code CONNECT host:port HTTP/1.1}
 * (a tunnel), or a plain HTTP request with an absolute URI ({@code GET http://host[:port]/path HTTP/1.1}),
 * which the proxy forwards in origin form with {@code Connection: close} and without the {@code Proxy-*}
 * headers. Pure parsing; anything else is a {@link Bad} request with a status and one sentence.
 *
 * @param method  request method
 * @param host    destination name or address literal (IPv6 without brackets)
 * @param port    destination port
 * @param tunnel  whether it is {@code CONNECT}
 * @param forward the head to send to the destination (plain HTTP only; empty for a tunnel)
 */
public record ProxyRequest(String method, String host, int port, boolean tunnel, byte[] forward) {

    /** A request the proxy will not serve. */
    public static final class Bad extends Exception {
        private final int status;

        Bad(int status, String message) {
            super(message, null, false, false);
            this.status = status;
        }

        /** HTTP status of the answer. */
        public int status() {
            return status;
        }
    }

    /** The destination as {@code host:port} (IPv6 in brackets). */
    public String destination() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }

    /**
     * Parses a complete head (up to and including the empty line).
     *
     * @throws Bad for anything that is not a CONNECT or an absolute-URI HTTP request
     */
    public static ProxyRequest parse(byte[] head) throws Bad {
        String text = new String(head, StandardCharsets.ISO_8859_1);
        int lineEnd = text.indexOf("\r\n");
        if (lineEnd < 0) {
            throw new Bad(400, "the request has no request line");
        }
        String[] parts = text.substring(0, lineEnd).split(" ", -1);
        if (parts.length != 3 || !parts[2].startsWith("HTTP/1.")) {
            throw new Bad(400, "the request line is not 'METHOD target HTTP/1.x'");
        }
        String method = parts[0];
        if (!method.matches("[A-Z]{1,16}")) {
            throw new Bad(400, "the request method is not a method");
        }
        if ("CONNECT".equals(method)) {
            Authority a = authority(parts[1], -1);
            return new ProxyRequest(method, a.host(), a.port(), true, new byte[0]);
        }
        String target = parts[1];
        String lower = target.toLowerCase(Locale.ROOT);
        if (lower.startsWith("https://")) {
            throw new Bad(400, "an https:// URL goes through CONNECT, not as a plain proxy request");
        }
        if (!lower.startsWith("http://")) {
            throw new Bad(400, "a plain proxy request needs an absolute http:// URL (this is the egress proxy)");
        }
        String rest = target.substring("http://".length());
        int slash = indexOfAny(rest, "/?#");
        String authority = slash < 0 ? rest : rest.substring(0, slash);
        String path = slash < 0 ? "/" : rest.substring(slash);
        if (path.startsWith("?")) {
            path = "/" + path;
        }
        int hash = path.indexOf('#');
        if (hash >= 0) {
            path = path.substring(0, hash);
        }
        if (authority.contains("@")) {
            throw new Bad(400, "credentials in the URL are not forwarded; send an Authorization header instead");
        }
        Authority a = authority(authority, 80);
        StringBuilder out = new StringBuilder(head.length + 32);
        out.append(method).append(' ').append(path).append(' ').append(parts[2]).append("\r\n");
        boolean hasHost = false;
        for (String line : text.substring(lineEnd + 2).split("\r\n", -1)) {
            if (line.isEmpty()) {
                continue;
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new Bad(400, "a header line has no name");
            }
            String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            if (name.startsWith("proxy-") || name.equals("connection") || name.equals("keep-alive")) {
                continue;
            }
            hasHost |= name.equals("host");
            out.append(line).append("\r\n");
        }
        if (!hasHost) {
            out.append("Host: ").append(authority).append("\r\n");
        }
        out.append("Connection: close\r\n\r\n");
        return new ProxyRequest(method, a.host(), a.port(), false, out.toString().getBytes(StandardCharsets.ISO_8859_1));
    }

    /** Index of the end of the head ({@code \r\n\r\n} plus 4) in {@code buffer[0, length)}, or -1. */
    public static int headEnd(byte[] buffer, int length) {
        for (int i = 3; i < length; i++) {
            if (buffer[i] == '\n' && buffer[i - 1] == '\r' && buffer[i - 2] == '\n' && buffer[i - 3] == '\r') {
                return i + 1;
            }
        }
        return -1;
    }

    private record Authority(String host, int port) {
    }

    private static Authority authority(String text, int defaultPort) throws Bad {
        String host;
        String port;
        if (text.startsWith("[")) {
            int close = text.indexOf(']');
            if (close < 0) {
                throw new Bad(400, "an IPv6 address in the target has no closing bracket");
            }
            host = text.substring(1, close);
            String after = text.substring(close + 1);
            port = after.startsWith(":") ? after.substring(1) : after.isEmpty() ? null : "x";
        } else {
            int colon = text.lastIndexOf(':');
            host = colon < 0 ? text : text.substring(0, colon);
            port = colon < 0 ? null : text.substring(colon + 1);
        }
        if (host.isEmpty() || host.length() > 253 || !host.matches("[A-Za-z0-9._:*-]+")) {
            throw new Bad(400, "the target host is not a host name or address");
        }
        if (port == null) {
            if (defaultPort < 0) {
                throw new Bad(400, "CONNECT needs host:port");
            }
            return new Authority(host, defaultPort);
        }
        if (!port.matches("\\d{1,5}") || Integer.parseInt(port) < 1 || Integer.parseInt(port) > 65535) {
            throw new Bad(400, "the target port is not a port");
        }
        return new Authority(host, Integer.parseInt(port));
    }

    private static int indexOfAny(String s, String chars) {
        for (int i = 0; i < s.length(); i++) {
            if (chars.indexOf(s.charAt(i)) >= 0) {
                return i;
            }
        }
        return -1;
    }

    /** The head line for a refusal: a reason phrase without control characters, at most 200 characters. */
    static String phrase(String text) {
        String clean = text.replaceAll("[\\p{Cntrl}]", " ");
        return clean.length() > 200 ? clean.substring(0, 200) : clean;
    }

    /** The head forwarded to the destination, as text (plain HTTP only). */
    public Optional<String> forwardText() {
        return tunnel ? Optional.empty() : Optional.of(new String(forward, StandardCharsets.ISO_8859_1));
    }
}
