package io.logomesh.host.egress;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Optional;
import java.util.Set;

/**
 * Which destination addresses the egress proxy refuses, whatever a plugin's allow-list says. Pure logic:
 * the host's own addresses are given by the caller.
 *
 * <p>Never reachable: the unspecified address ({@code 0.0.0.0}, {@code ::}), "this network"
 * {@code 0.0.0.0/8}, link-local {@code 169.254.0.0/16} (cloud metadata services live there) and
 * {@code fe80::/10}, multicast ({@code 224.0.0.0/4}, {@code ff00::/8}), and the reserved
 * {@code 240.0.0.0/4} with the broadcast address. Reachable only when an exact pattern names the
 * destination <em>and</em> the operator's {@code logomesh.egress.allow-private} is on ({@link Refusal#unlockable}):
 * loopback ({@code 127.0.0.0/8}, {@code ::1}), the private ranges {@code 10/8}, {@code 172.16/12},
 * {@code 192.168/16}, shared address space {@code 100.64/10}, unique-local {@code fc00::/7}, and every
 * address of the host itself. IPv4-mapped and IPv4-compatible IPv6 addresses ({@code ::ffff:a.b.c.d})
 * are judged as the IPv4 address they carry; NAT64 ({@code 64:ff9b::/96}) and 6to4 ({@code 2002::/16})
 * likewise, since a translator would deliver them there.
 */
public final class AddressRules {

    /** Why an address is refused. */
    public enum Refusal {
        UNSPECIFIED("the unspecified address", false),
        THIS_NETWORK("'this network' 0.0.0.0/8", false),
        LINK_LOCAL("a link-local address (169.254.0.0/16, fe80::/10: metadata services)", false),
        MULTICAST("a multicast address", false),
        RESERVED("a reserved or broadcast address (240.0.0.0/4)", false),
        LOOPBACK("a loopback address", true),
        PRIVATE("a private address (10/8, 172.16/12, 192.168/16)", true),
        SHARED("a shared address (100.64/10)", true),
        UNIQUE_LOCAL("a unique-local IPv6 address (fc00::/7)", true),
        HOST_OWN("one of the host's own addresses", true);

        private final String description;
        private final boolean unlockable;

        Refusal(String description, boolean unlockable) {
            this.description = description;
            this.unlockable = unlockable;
        }

        /** One phrase for an audit reason, e.g. "a loopback address". */
        public String description() {
            return description;
        }

        /** Whether {@code allow-private} plus an exact pattern may let a plugin reach it. */
        public boolean unlockable() {
            return unlockable;
        }
    }

    private AddressRules() {
    }

    /** Why {@code address} is refused, or empty when it is an ordinary public address. */
    public static Optional<Refusal> refusal(InetAddress address, Set<InetAddress> hostOwn) {
        Optional<Refusal> built = builtIn(address);
        if (built.isPresent()) {
            return built;
        }
        if (hostOwn.contains(address)) {
            return Optional.of(Refusal.HOST_OWN);
        }
        return Optional.empty();
    }

    private static Optional<Refusal> builtIn(InetAddress address) {
        byte[] b = address.getAddress();
        if (address instanceof Inet6Address) {
            Optional<byte[]> v4 = embeddedV4(b);
            if (v4.isPresent()) {
                return v4(v4.get());
            }
            return v6(b);
        }
        if (address instanceof Inet4Address) {
            return v4(b);
        }
        return Optional.of(Refusal.RESERVED);
    }

    private static Optional<Refusal> v4(byte[] b) {
        int a0 = b[0] & 0xff;
        int a1 = b[1] & 0xff;
        if (a0 == 0) {
            return Optional.of(b[1] == 0 && b[2] == 0 && b[3] == 0 ? Refusal.UNSPECIFIED : Refusal.THIS_NETWORK);
        }
        if (a0 == 127) {
            return Optional.of(Refusal.LOOPBACK);
        }
        if (a0 == 169 && a1 == 254) {
            return Optional.of(Refusal.LINK_LOCAL);
        }
        if (a0 >= 224 && a0 <= 239) {
            return Optional.of(Refusal.MULTICAST);
        }
        if (a0 >= 240) {
            return Optional.of(Refusal.RESERVED);
        }
        if (a0 == 10 || (a0 == 172 && a1 >= 16 && a1 <= 31) || (a0 == 192 && a1 == 168)) {
            return Optional.of(Refusal.PRIVATE);
        }
        if (a0 == 100 && a1 >= 64 && a1 <= 127) {
            return Optional.of(Refusal.SHARED);
        }
        return Optional.empty();
    }

    private static Optional<Refusal> v6(byte[] b) {
        boolean zeroToLast = true;
        for (int i = 0; i < 15; i++) {
            zeroToLast &= b[i] == 0;
        }
        if (zeroToLast && b[15] == 0) {
            return Optional.of(Refusal.UNSPECIFIED);
        }
        if (zeroToLast && b[15] == 1) {
            return Optional.of(Refusal.LOOPBACK);
        }
        int b0 = b[0] & 0xff;
        int b1 = b[1] & 0xff;
        if (b0 == 0xff) {
            return Optional.of(Refusal.MULTICAST);
        }
        if (b0 == 0xfe && (b1 & 0xc0) == 0x80) {
            return Optional.of(Refusal.LINK_LOCAL);
        }
        if (b0 == 0xfe && (b1 & 0xc0) == 0xc0) {
            return Optional.of(Refusal.UNIQUE_LOCAL); // site-local fec0::/10, deprecated: treat as private
        }
        if ((b0 & 0xfe) == 0xfc) {
            return Optional.of(Refusal.UNIQUE_LOCAL);
        }
        return Optional.empty();
    }

    /** The IPv4 address inside an IPv4-mapped/compatible, NAT64 or 6to4 IPv6 address. */
    private static Optional<byte[]> embeddedV4(byte[] b) {
        boolean firstTenZero = true;
        for (int i = 0; i < 10; i++) {
            firstTenZero &= b[i] == 0;
        }
        boolean mapped = firstTenZero && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff;
        boolean compatible = firstTenZero && b[10] == 0 && b[11] == 0
                && !(b[12] == 0 && b[13] == 0 && b[14] == 0 && (b[15] == 0 || b[15] == 1));
        if (mapped || compatible) {
            return Optional.of(new byte[] {b[12], b[13], b[14], b[15]});
        }
        boolean nat64 = (b[0] & 0xff) == 0x00 && (b[1] & 0xff) == 0x64 && (b[2] & 0xff) == 0xff
                && (b[3] & 0xff) == 0x9b;
        for (int i = 4; nat64 && i < 12; i++) {
            nat64 = b[i] == 0;
        }
        if (nat64) {
            return Optional.of(new byte[] {b[12], b[13], b[14], b[15]});
        }
        if ((b[0] & 0xff) == 0x20 && (b[1] & 0xff) == 0x02) {
            return Optional.of(new byte[] {b[2], b[3], b[4], b[5]});
        }
        return Optional.empty();
    }
}
