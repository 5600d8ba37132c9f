package io.logomesh.host.egress;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * Resolves a destination name for the egress proxy (the seam tests replace). The proxy asks only for names
 * a plugin's allow-list matched, and connects only to addresses it got from here and checked.
 */
@FunctionalInterface
public interface EgressResolver {

    /** Every address of {@code name}; never empty. */
    List<InetAddress> resolve(String name) throws UnknownHostException;

    /** The JDK's resolver (the host's own {@code /etc/hosts} and DNS). */
    static EgressResolver system() {
        return name -> List.of(InetAddress.getAllByName(name));
    }
}
