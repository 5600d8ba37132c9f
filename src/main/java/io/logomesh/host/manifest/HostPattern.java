package io.logomesh.host.manifest;

import java.net.IDN;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One entry of a plugin's egress allow-list: {@code host:port}, where host is a DNS name
 * ({@code api.example.com}), a name with a wildcard as its leftmost label only ({@code *.example.org}:
 * any name with at least one more label in front, never {@code example.org} itself), an IPv4 address
 * ({@code 10.1.2.3}) or an IPv6 address in brackets ({@code [fd00::1]:5432}). The port is required
 * (1–65535). Names compare case-insensitively, without a trailing dot. Pure logic.
 *
 * @param host     the name (lower case, without the {@code *.}) or the address's literal
 * @param wildcard whether the pattern is {@code *.<host>}
 * @param literal  whether {@code host} is an IP address literal
 * @param port     the one port it allows
 */
public record HostPattern(String host, boolean wildcard, boolean literal, int port) {

    /** Longest pattern accepted (a DNS name is at most 253 characters, plus the port). */
    public static final int MAX_LENGTH = 260;

    private static final Pattern LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
    private static final Pattern IPV4 = Pattern.compile("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9a-fA-F:.]{2,45}");

    /**
     * Parses a pattern.
     *
     * @throws IllegalArgumentException with a one-sentence explanation of what is wrong
     */
    public static HostPattern parse(String text) {
        Optional<String> problem = check(text);
        if (problem.isPresent()) {
            throw new IllegalArgumentException(problem.get());
        }
        return build(text);
    }

    /** What is wrong with a pattern, in one sentence; empty when it is a valid pattern. */
    public static Optional<String> problem(String text) {
        return check(text);
    }

    /** Whether a connection to {@code name} (a DNS name or an address literal) on {@code port} matches. */
    public boolean matches(String name, int port) {
        if (port != this.port || name == null) {
            return false;
        }
        String n = normalise(name);
        if (literal) {
            return literal(n).map(a -> a.getHostAddress().equals(host)).orElse(false);
        }
        return wildcard ? n.endsWith("." + host) && n.length() > host.length() + 1 : n.equals(host);
    }

    /** The pattern as it is written. */
    @Override
    public String toString() {
        String h = literal && host.contains(":") ? "[" + host + "]" : host;
        return (wildcard ? "*." : "") + h + ":" + port;
    }

    /** Lower case, no trailing dot, no brackets. */
    public static String normalise(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        if (n.startsWith("[") && n.endsWith("]")) {
            n = n.substring(1, n.length() - 1);
        }
        return n.endsWith(".") ? n.substring(0, n.length() - 1) : n;
    }

    private static Optional<String> check(String text) {
        if (text == null || text.isBlank()) {
            return Optional.of("a host pattern must not be empty; write host:port, e.g. api.example.com:443");
        }
        if (text.length() > MAX_LENGTH) {
            return Optional.of("a host pattern is at most " + MAX_LENGTH + " characters");
        }
        String t = text.trim();
        if (t.contains("://") || t.contains("/")) {
            return Optional.of("'" + t + "' is not a host pattern: write host:port without a scheme or path, e.g. "
                    + "api.example.com:443");
        }
        int colon = t.lastIndexOf(':');
        boolean bracketed = t.startsWith("[");
        if (bracketed ? !t.contains("]:") : colon < 0) {
            return Optional.of("'" + t + "' has no port: write host:port, e.g. " + t + ":443 (every pattern names "
                    + "its port)");
        }
        String hostPart = bracketed ? t.substring(1, t.indexOf("]:")) : t.substring(0, colon);
        String portPart = t.substring(bracketed ? t.indexOf("]:") + 2 : colon + 1);
        if (!portPart.matches("\\d{1,5}") || Integer.parseInt(portPart) < 1 || Integer.parseInt(portPart) > 65535) {
            return Optional.of("'" + t + "' has an invalid port '" + portPart + "': a port is a number from 1 to 65535"
                    + " (no ranges or wildcards)");
        }
        if (bracketed) {
            return IPV6.matcher(hostPart).matches() && hostPart.contains(":") && parsesAsAddress(hostPart)
                    ? Optional.empty() : Optional.of("'" + t + "' has an invalid IPv6 address in brackets");
        }
        if (hostPart.contains(":")) {
            return Optional.of("'" + t + "': write an IPv6 address in brackets, e.g. [fd00::1]:5432");
        }
        String host = hostPart.toLowerCase(Locale.ROOT);
        if (host.endsWith(".")) {
            host = host.substring(0, host.length() - 1);
        }
        if (host.matches("[0-9.]+")) {
            return IPV4.matcher(host).matches() ? Optional.empty()
                    : Optional.of("'" + t + "' has an invalid IPv4 address '" + hostPart + "'");
        }
        boolean wildcard = host.startsWith("*.");
        String name = wildcard ? host.substring(2) : host;
        if (name.contains("*")) {
            return Optional.of("'" + t + "': '*' is allowed only as the whole leftmost label, as in *.example.org:443");
        }
        String ascii;
        try {
            ascii = IDN.toASCII(name, IDN.USE_STD3_ASCII_RULES).toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            return Optional.of("'" + t + "' has an invalid host name '" + hostPart + "'");
        }
        if (ascii.isEmpty() || ascii.length() > 253) {
            return Optional.of("'" + t + "' has an invalid host name '" + hostPart + "'");
        }
        String[] labels = ascii.split("\\.", -1);
        for (String label : labels) {
            if (!LABEL.matcher(label).matches()) {
                return Optional.of("'" + t + "' has an invalid host name '" + hostPart + "' (label '" + label + "')");
            }
        }
        if (wildcard && labels.length < 2) {
            return Optional.of("'" + t + "': a wildcard needs at least two labels after it, as in *.example.org:443 "
                    + "(not *.com)");
        }
        return Optional.empty();
    }

    private static boolean parsesAsAddress(String literal) {
        return literal(literal).isPresent();
    }

    /**
     * The address an IP literal names (IPv4 dotted quad, or IPv6 with or without brackets); empty for
     * anything else. Never resolves a name: only strings made of digits and dots, or holding a colon,
     * are parsed, and those the JDK parses as literals without a lookup.
     */
    public static Optional<InetAddress> literal(String text) {
        String t = normalise(text);
        boolean v4 = IPV4.matcher(t).matches();
        boolean v6 = t.contains(":") && IPV6.matcher(t).matches();
        if (!v4 && !v6) {
            return Optional.empty();
        }
        try {
            return Optional.of(InetAddress.getByName(t));
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }

    private static HostPattern build(String text) {
        String t = text.trim();
        boolean bracketed = t.startsWith("[");
        int split = bracketed ? t.indexOf("]:") + 1 : t.lastIndexOf(':');
        String hostPart = bracketed ? t.substring(1, split - 1) : t.substring(0, split);
        int port = Integer.parseInt(t.substring(split + 1));
        if (bracketed) {
            return new HostPattern(literal(hostPart).orElseThrow().getHostAddress(), false, true, port);
        }
        String host = normalise(hostPart);
        if (host.matches("[0-9.]+")) {
            return new HostPattern(host, false, true, port);
        }
        boolean wildcard = host.startsWith("*.");
        String name = IDN.toASCII(wildcard ? host.substring(2) : host).toLowerCase(Locale.ROOT);
        return new HostPattern(name, wildcard, false, port);
    }
}
