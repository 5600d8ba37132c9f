package io.logomesh.host.egress;

import io.logomesh.host.config.HostConfig;

import java.time.Duration;

/**
 * The egress proxy's caps (see {@link HostConfig.Egress} for each).
 *
 * @param maxConnections   open connections per plugin
 * @param connectionRate   new connections per second per plugin
 * @param connectionBurst  burst of the rate
 * @param maxBytes         bytes per connection in each direction
 * @param idleTimeout      longest silence of a connection (and longest wait for the request head)
 * @param maxDuration      longest life of a connection
 * @param maxHeaderBytes   largest request head
 * @param connectTimeout   deadline of the proxy's own connect
 */
public record EgressLimits(int maxConnections, double connectionRate, int connectionBurst, long maxBytes,
                           Duration idleTimeout, Duration maxDuration, int maxHeaderBytes, Duration connectTimeout) {

    /** The configured caps. */
    public static EgressLimits from(HostConfig.Egress c) {
        return new EgressLimits(c.maxConnections(), c.connectionRate(), c.connectionBurst(), c.maxBytes(),
                c.idleTimeout(), c.maxDuration(), c.maxHeaderBytes(), c.connectTimeout());
    }
}
