package io.logomesh.host.monitor;

import java.time.Instant;

/**
 * Extra memory or CPU lent to one plugin from the host-wide budget.
 *
 * @param grantId   unique id (the plugin releases it by this)
 * @param pluginId  the plugin
 * @param type      {@code memory} (amount in MiB) or {@code cpu} (amount in percent of one core)
 * @param amount    how much
 * @param grantedAt when
 */
public record Grant(String grantId, String pluginId, String type, double amount, Instant grantedAt) {

    public static final String MEMORY = "memory";
    public static final String CPU = "cpu";
}
