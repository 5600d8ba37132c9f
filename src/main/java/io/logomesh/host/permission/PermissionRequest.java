package io.logomesh.host.permission;

import java.time.Instant;

/**
 * A plugin's run-time request for a permission and its decision.
 *
 * @param id          request id
 * @param pluginId    who asked
 * @param permission  what it asked for
 * @param status      {@code pending}, {@code granted} or {@code denied}
 * @param requestedAt when it asked
 * @param decidedAt   when it was decided (null while pending)
 * @param decidedBy   {@code host} (automatic) or the deciding token, {@code token:<id>}
 * @param reason      why, in one sentence (null while pending)
 */
public record PermissionRequest(String id, String pluginId, String permission, String status, Instant requestedAt,
                                Instant decidedAt, String decidedBy, String reason) {

    public static final String PENDING = "pending";
    public static final String GRANTED = "granted";
    public static final String DENIED = "denied";

    PermissionRequest decided(String newStatus, String by, String why) {
        return new PermissionRequest(id, pluginId, permission, newStatus, requestedAt, Instant.now(), by, why);
    }
}
