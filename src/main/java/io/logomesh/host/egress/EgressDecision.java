package io.logomesh.host.egress;

import java.net.InetAddress;
import java.util.List;

/**
 * What the egress policy decided about one destination.
 *
 * @param allowed   whether the proxy may connect
 * @param pattern   the allow-list entry that matched, or null
 * @param addresses the checked addresses to try, in order (empty when refused)
 * @param reason    one sentence: why refused, or which pattern allowed it
 */
public record EgressDecision(boolean allowed, String pattern, List<InetAddress> addresses, String reason) {

    public EgressDecision {
        addresses = List.copyOf(addresses);
    }

    static EgressDecision refused(String pattern, String reason) {
        return new EgressDecision(false, pattern, List.of(), reason);
    }
}
