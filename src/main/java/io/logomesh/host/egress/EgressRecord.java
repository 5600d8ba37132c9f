package io.logomesh.host.egress;

/**
 * What became of one connection a plugin opened through the egress proxy (one audit record each).
 *
 * @param pluginId    whose socket it came in on
 * @param kind        {@code connect} (a tunnel) or {@code http} (a plain request), or {@code unknown}
 * @param destination {@code host:port} as the plugin asked, or null when the request was unreadable
 * @param address     the checked address connected to, or null when no connection was made
 * @param pattern     the allow-list entry that matched, or null
 * @param outcome     {@code ok} (allowed, then closed), {@code refused} (no connection attempted),
 *                    {@code failed} (allowed, the connect failed) or {@code cut} (allowed, then ended by a cap
 *                    or a revoke)
 * @param reason      one sentence
 * @param bytesOut    bytes from the plugin to the destination
 * @param bytesIn     bytes from the destination to the plugin
 * @param durationMs  from accept to close
 */
public record EgressRecord(String pluginId, String kind, String destination, String address, String pattern,
                           String outcome, String reason, long bytesOut, long bytesIn, long durationMs) {

    public static final String OK = "ok";
    public static final String REFUSED = "refused";
    public static final String FAILED = "failed";
    public static final String CUT = "cut";
}
