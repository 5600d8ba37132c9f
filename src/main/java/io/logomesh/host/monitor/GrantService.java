package io.logomesh.host.monitor;

import io.logomesh.host.audit.AuditEvent;
import io.logomesh.host.config.HostConfig;
import io.logomesh.host.container.ContainerResources;
import io.logomesh.host.container.StatsSource;
import io.logomesh.host.manifest.PermissionAuthority;
import io.logomesh.host.manifest.PluginManifest;
import io.logomesh.host.manifest.ResourceRequirements;
import io.logomesh.host.plugin.PluginHandle;
import io.logomesh.host.plugin.PluginState;
import io.logomesh.host.plugin.PluginStateEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import java.util.List;

/**
 * Resource grants: a plugin holding the {@code resources:grant} permission (declared, or approved at run time:
 * the {@link PermissionAuthority} decides on each request) asks for more memory or CPU, up to its manifest's
 * {@code burstMemoryMB} / {@code burstCpuPercent} and its share of the host-wide {@link GrantLedger}; the host
 * lends it and applies it live to the container ({@code docker update}). Grants are taken back on
 * release and whenever the plugin leaves ACTIVE (deactivation, crash, termination, replacement). Every
 * grant, refusal and release is audited as {@code grant}.
 */
@ApplicationScoped
public class GrantService {

    public static final String PERMISSION = "resources:grant";

    private final GrantLedger ledger;
    private final ContainerResources resources;
    private final StatsSource stats;
    private final Event<AuditEvent> audit;
    private final PluginMetrics metrics;
    private final PermissionAuthority permissions;
    private final long pidsLimit;

    @Inject
    public GrantService(HostConfig config, ContainerResources resources, StatsSource stats, Event<AuditEvent> audit,
                        PluginMetrics metrics, PermissionAuthority permissions) {
        this.stats = stats;
        this.ledger = new GrantLedger(config.monitor().budget().memoryMB(), config.monitor().budget().cpuPercent(),
                config.monitor().budget().maxPerPluginPercent());
        this.resources = resources;
        this.audit = audit;
        this.metrics = metrics;
        this.permissions = permissions;
        this.pidsLimit = config.limits().pidsLimit();
    }

    /** The plugin's limits now: its manifest's plus what it holds in grants. */
    public EffectiveLimits limits(PluginHandle handle) {
        ResourceRequirements r = handle.manifest().resources();
        return new EffectiveLimits(r.maxMemoryMB() + Math.round(ledger.held(handle.id(), Grant.MEMORY)),
                r.maxCpuPercent() + ledger.held(handle.id(), Grant.CPU), r.maxExecutionTimeMs(), pidsLimit);
    }

    public List<Grant> grants(String pluginId) {
        return ledger.of(pluginId);
    }

    /** Lends {@code amount} of {@code type} to the caller and applies it. @throws GrantDeniedException with the reason */
    public synchronized Grant request(PluginHandle caller, String type, double amount) {
        String id = caller.id();
        try {
            PluginManifest m = caller.manifest();
            if (!permissions.holds(m, PERMISSION)) {
                throw new GrantDeniedException("the plugin does not hold the '" + PERMISSION + "' permission "
                        + "(declare it in the manifest, or ask for it with requestPermission and wait for an "
                        + "operator's approval)");
            }
            String containerId = caller.snapshot().containerId();
            if (caller.state() != PluginState.ACTIVE || containerId == null) {
                throw new GrantDeniedException("the plugin is not running");
            }
            double ceiling = ceiling(m.resources(), type);
            if (type.equals(Grant.MEMORY) && amount != Math.rint(amount)) {
                throw new GrantDeniedException("memory is granted in whole MiB, got " + amount);
            }
            Grant grant = ledger.reserve(id, type, amount, ceiling);
            try {
                apply(caller, containerId);
            } catch (RuntimeException e) {
                ledger.release(grant.grantId());
                throw new GrantDeniedException("the engine did not apply the new limit: " + e.getMessage());
            }
            metrics.grants(id, ledger.held(id, Grant.MEMORY), ledger.held(id, Grant.CPU));
            audit.fire(AuditEvent.of("grant", id, AuditEvent.plugin(id), "granted", details(grant, null)));
            return grant;
        } catch (GrantDeniedException e) {
            audit.fire(AuditEvent.of("grant", id, AuditEvent.plugin(id), "denied", AuditEvent.newDetails()
                    .put("type", type).put("amount", amount).put("reason", e.getMessage())));
            throw e;
        }
    }

    /**
     * Takes one of the caller's grants back and lowers the container's limit again.
     *
     * @throws GrantDeniedException when the caller holds no such grant, or the container uses more than the
     *                              lower limit allows (the grant stays until it frees memory)
     */
    public synchronized void release(PluginHandle caller, String grantId) {
        String id = caller.id();
        Grant grant = ledger.find(grantId).filter(g -> g.pluginId().equals(id))
                .orElseThrow(() -> new GrantDeniedException("the plugin holds no grant '" + grantId + "'"));
        ledger.release(grantId);
        String containerId = caller.snapshot().containerId();
        if (containerId != null) {
            try {
                apply(caller, containerId);
            } catch (RuntimeException e) {
                ledger.restore(grant);
                apply(caller, containerId);
                audit.fire(AuditEvent.of("grant", id, AuditEvent.plugin(id), "release_refused",
                        details(grant, e.getMessage())));
                throw new GrantDeniedException("the limit cannot be lowered while the container uses more than it ("
                        + e.getMessage() + "); free memory first");
            }
        }
        metrics.grants(id, ledger.held(id, Grant.MEMORY), ledger.held(id, Grant.CPU));
        audit.fire(AuditEvent.of("grant", id, AuditEvent.plugin(id), "released", details(grant, "released")));
    }

    /** A plugin that leaves ACTIVE gives every grant back (its container is going or gone). */
    void onState(@Observes PluginStateEvent event) {
        if (event.from() != PluginState.ACTIVE) {
            return;
        }
        List<Grant> taken;
        synchronized (this) {
            taken = ledger.releaseAll(event.pluginId());
        }
        if (taken.isEmpty()) {
            return;
        }
        metrics.grants(event.pluginId(), 0, 0);
        String why = "plugin went " + event.to() + (event.reason() == null ? "" : " (" + event.reason() + ")");
        for (Grant g : taken) {
            audit.fire(AuditEvent.of("grant", event.pluginId(), AuditEvent.HOST, "released", details(g, why)));
        }
    }

    /** An upgraded plugin's new container gets the limits its grants give (the grants stay with the plugin). */
    void onUpgrade(@Observes io.logomesh.host.plugin.PluginUpgradedEvent event) {
        if (event.containerId() == null || ledger.of(event.pluginId()).isEmpty()) {
            return;
        }
        ResourceRequirements r = event.manifest().resources();
        resources.update(event.containerId(), (r.maxMemoryMB() + Math.round(ledger.held(event.pluginId(), Grant.MEMORY)))
                * 1024L * 1024L, r.maxCpuPercent() + ledger.held(event.pluginId(), Grant.CPU));
        stats.forget(event.containerId());
    }

    private void apply(PluginHandle handle, String containerId) {
        EffectiveLimits l = limits(handle);
        resources.update(containerId, l.memoryBytes(), l.maxCpuPercent());
        stats.forget(containerId); // the next sample reads the new limit
    }

    private static double ceiling(ResourceRequirements r, String type) {
        return switch (type) {
            case Grant.MEMORY -> {
                if (r.burstMemoryMB() == null) {
                    throw new GrantDeniedException("the manifest declares no resourceRequirements.burstMemoryMB, "
                            + "so no memory can be granted");
                }
                yield r.burstMemoryMB() - r.maxMemoryMB();
            }
            case Grant.CPU -> {
                if (r.burstCpuPercent() == null) {
                    throw new GrantDeniedException("the manifest declares no resourceRequirements.burstCpuPercent, "
                            + "so no CPU can be granted");
                }
                yield r.burstCpuPercent() - r.maxCpuPercent();
            }
            default -> throw new GrantDeniedException("unknown resource type '" + type + "'; use memory or cpu");
        };
    }

    private static com.fasterxml.jackson.databind.node.ObjectNode details(Grant g, String reason) {
        var d = AuditEvent.newDetails().put("grantId", g.grantId()).put("type", g.type()).put("amount", g.amount());
        if (reason != null) {
            d.put("reason", reason);
        }
        return d;
    }
}
