package io.logomesh.host.ipc.relay;

import java.time.Duration;

/**
 * Bounds of a {@link RelayServer}.
 *
 * @param setupDeadline  time from accept until the connection is piped: TLS handshake, header, route and the
 *                       connect to the plugin's socket; past it the connection is cut off (defaults to 5 s)
 * @param maxConnections connections held at once, being set up or piped; one more is closed at once, before
 *                       any TLS (defaults to 256)
 */
public record RelayLimits(Duration setupDeadline, int maxConnections) {

    /** 5 s to set up, 256 connections. */
    public static final RelayLimits DEFAULTS = new RelayLimits(Duration.ofSeconds(5), 256);

    public RelayLimits {
        if (setupDeadline == null || setupDeadline.isNegative() || setupDeadline.isZero()) {
            throw new IllegalArgumentException("setupDeadline must be positive: " + setupDeadline);
        }
        if (maxConnections < 1) {
            throw new IllegalArgumentException("maxConnections must be positive: " + maxConnections);
        }
    }
}
