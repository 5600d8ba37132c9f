package io.logomesh.host.plugin;

import java.util.EnumSet;
import java.util.Set;

/**
 * The lifecycle of one plugin. Every change goes through {@link PluginHandle}, which
 * refuses any transition not drawn here.
 *
 * <pre>
 *   INSTALLED ──activate──▶ STARTING ──ok──▶ ACTIVE ──deactivate──▶ STOPPING ──▶ INACTIVE
 *       │                     │  ▲             │  │                     │            │
 *       │                     │  └──timeout────┘  │ container died      │ failed     │ activate
 *       │                     ▼   (recycled)      ▼                     ▼            ▼
 *       │                  FAILED ◀────────────────────────────────── FAILED     STARTING
 *       │                     │ activate ▶ STARTING
 *       └──uninstall──▶ UNINSTALLED ◀──uninstall── INACTIVE, FAILED
 *
 *   self-healing (restart policy on-failure, docs/restarts.md):
 *   ACTIVE ──crash / OOM / exit / lost engine──▶ RESTARTING ──back-off over──▶ STARTING ──ok──▶ ACTIVE
 *   STARTING (a restart) ──start failed──▶ RESTARTING      RESTARTING ──crash loop──▶ FAILED
 *   RESTARTING ──deactivate──▶ INACTIVE
 *   STARTING (any) ──engine away / node away (node_unavailable)──▶ RESTARTING (uncounted: never a crash loop)
 *
 *   cluster mode, its node lost (ConnectionLoss, docs/cluster.md):
 *   ACTIVE ──node lost──▶ STARTING ──its moved task connected and started──▶ ACTIVE (the same service)
 *                            └──no connection in time / start failed──▶ RESTARTING
 * </pre>
 */
public enum PluginState {
    /** Bundle stored and valid; no container. */
    INSTALLED,
    /** Container starting; initialize and activate running. */
    STARTING,
    /** Container running, plugin activated, actions accepted. */
    ACTIVE,
    /** deactivate running; container about to stop. */
    STOPPING,
    /** Deactivated cleanly; no container. */
    INACTIVE,
    /** Ended without being asked to; waiting out its back-off before it is started again. */
    RESTARTING,
    /** Ended by an error; see the failure reason (e.g. {@code oom}, {@code timeout}, {@code exited:1}). */
    FAILED,
    /** Removed: container and files gone. Terminal. */
    UNINSTALLED;

    private Set<PluginState> next() {
        return switch (this) {
            case INSTALLED -> EnumSet.of(STARTING, UNINSTALLED);
            case STARTING -> EnumSet.of(ACTIVE, FAILED, RESTARTING);
            case ACTIVE -> EnumSet.of(STOPPING, STARTING, FAILED, RESTARTING);
            case RESTARTING -> EnumSet.of(STARTING, FAILED, INACTIVE);
            case STOPPING -> EnumSet.of(INACTIVE, FAILED);
            case INACTIVE -> EnumSet.of(STARTING, UNINSTALLED);
            case FAILED -> EnumSet.of(STARTING, UNINSTALLED);
            case UNINSTALLED -> EnumSet.noneOf(PluginState.class);
        };
    }

    /** Whether the lifecycle allows going from this state to {@code target}. */
    public boolean canTransitionTo(PluginState target) {
        return next().contains(target);
    }

    /** Whether a container is (or is being, or will shortly again be) run for the plugin. */
    public boolean isRunning() {
        return this == STARTING || this == ACTIVE || this == STOPPING || this == RESTARTING;
    }

    /** Whether an operator can activate the plugin from here (a RESTARTING one restarts by itself). */
    public boolean isActivatable() {
        return canTransitionTo(STARTING) && this != ACTIVE && this != RESTARTING;
    }

    /** Whether nothing is in progress (a stable resting state). */
    public boolean isSettled() {
        return this == INSTALLED || this == ACTIVE || this == INACTIVE || this == FAILED;
    }
}
