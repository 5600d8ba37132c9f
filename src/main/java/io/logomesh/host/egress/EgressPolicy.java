package io.logomesh.host.egress;

import io.logomesh.host.manifest.HostPattern;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * One plugin's egress rules right now: its allow-list and the operator's {@code allow-private}. Decides a
 * destination in this order, and the first refusal wins:
 * <ol>
 * <li>the name and port must match a pattern; an unlisted name is never even resolved;</li>
 * <li>a literal address is taken as is, a name is resolved by the proxy (never by the plugin);</li>
 * <li>every resolved address is checked by {@link AddressRules}: if any is refused the name is refused
 * (a name that mixes public and refused addresses is how DNS-rebinding attacks look), unless the refusal
 * is {@linkplain AddressRules.Refusal#unlockable unlockable}, the pattern names the destination exactly
 * (no wildcard) and {@code allowPrivate} is on.</li>
 * </ol>
 * The proxy then connects to exactly the addresses returned, so what was checked is what is reached.
 *
 * @param patterns     the plugin's allow-list
 * @param allowPrivate the operator's {@code logomesh.egress.allow-private}
 */
public record EgressPolicy(List<HostPattern> patterns, boolean allowPrivate) {

    /** A policy that allows nothing. */
    public static final EgressPolicy NOTHING = new EgressPolicy(List.of(), false);

    public EgressPolicy {
        patterns = List.copyOf(patterns);
    }

    /** The first pattern that matches {@code name:port}. */
    public Optional<HostPattern> match(String name, int port) {
        return patterns.stream().filter(p -> p.matches(name, port)).findFirst();
    }

    /**
     * Decides about {@code name:port}; resolves through {@code resolver} only when a pattern matched.
     *
     * @param hostOwn the host's own addresses (asked only once a name was resolved)
     */
    public EgressDecision decide(String name, int port, EgressResolver resolver, Supplier<Set<InetAddress>> hostOwn) {
        Optional<HostPattern> matched = match(name, port);
        if (matched.isEmpty()) {
            return EgressDecision.refused(null, HostPattern.normalise(name) + ":" + port
                    + " is not in the plugin's allow-list");
        }
        HostPattern pattern = matched.get();
        List<InetAddress> addresses;
        Optional<InetAddress> literal = HostPattern.literal(name);
        if (literal.isPresent()) {
            addresses = List.of(literal.get());
        } else {
            try {
                addresses = resolver.resolve(HostPattern.normalise(name));
            } catch (UnknownHostException e) {
                return EgressDecision.refused(pattern.toString(), "the name " + HostPattern.normalise(name)
                        + " does not resolve");
            }
            if (addresses.isEmpty()) {
                return EgressDecision.refused(pattern.toString(), "the name " + HostPattern.normalise(name)
                        + " does not resolve");
            }
        }
        Set<InetAddress> own = hostOwn.get();
        for (InetAddress address : addresses) {
            Optional<AddressRules.Refusal> refusal = AddressRules.refusal(address, own);
            if (refusal.isEmpty()) {
                continue;
            }
            AddressRules.Refusal r = refusal.get();
            boolean unlocked = r.unlockable() && allowPrivate && !pattern.wildcard();
            if (!unlocked) {
                String why = !r.unlockable() ? "never reachable"
                        : pattern.wildcard() ? "a wildcard pattern never reaches it"
                        : "logomesh.egress.allow-private is off";
                return EgressDecision.refused(pattern.toString(), address.getHostAddress() + " is "
                        + r.description() + " (" + why + ")");
            }
        }
        return new EgressDecision(true, pattern.toString(), addresses, "allowed by " + pattern);
    }
}
