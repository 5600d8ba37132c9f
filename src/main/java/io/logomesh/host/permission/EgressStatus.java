package io.logomesh.host.permission;

import java.util.List;

/**
 * What a plugin may reach through the egress proxy now ({@code GET /api/v1/plugins/{id}/egress}).
 *
 * @param pluginId        the plugin
 * @param network         whether it holds {@code network} (declared or approved)
 * @param socketOpen      whether its {@code egress.sock} is open (it holds network and runs)
 * @param allowPrivate    the operator's {@code logomesh.egress.allow-private}
 * @param allowList       its patterns, each with where it comes from
 * @param openConnections connections open through the proxy now
 */
public record EgressStatus(String pluginId, boolean network, boolean socketOpen, boolean allowPrivate,
                           List<Entry> allowList, int openConnections) {

    /**
     * One allow-list entry.
     *
     * @param pattern the pattern, as the proxy matches it
     * @param source  {@code manifest} ({@code allowedHosts}) or {@code operator} (an approved {@code network:<pattern>})
     */
    public record Entry(String pattern, String source) {
    }
}
