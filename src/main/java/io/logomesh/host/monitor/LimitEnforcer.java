package io.logomesh.host.monitor;

import io.logomesh.host.container.ContainerNodeLostEvent;
import io.logomesh.host.audit.AuditActor;
import io.logomesh.host.audit.AuditEvent;
import io.logomesh.host.audit.AuditRefusalFlood;
import io.logomesh.host.config.HostConfig;
import io.logomesh.host.container.ContainerOomEvent;
import io.logomesh.host.plugin.LifecycleAuditor;
import io.logomesh.host.plugin.PluginHandle;
import io.logomesh.host.plugin.PluginManager;
import io.logomesh.host.plugin.PluginState;
import io.logomesh.host.plugin.PluginStateEvent;
import io.logomesh.host.plugin.PluginMovedEvent;
import io.logomesh.host.plugin.restart.PluginRestartEvent;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Acts on limit checks: records each alert (kept per plugin, counted, audited as {@code alert}); a critical
 * one ends the plugin (SIGTERM, SIGKILL after the grace) as FAILED with the reason. OOM kills are caught
 * as they happen from the engine's events ({@link ContainerOomEvent}, also when only a child process was
 * killed) and from a plugin that FAILED with {@code oom}; each run of a plugin gets one OOM alert.
 */
@ApplicationScoped
public class LimitEnforcer {

    private static final Logger LOG = Logger.getLogger(LimitEnforcer.class);
    /** Time the kernel gets to OOM-kill before a plugin at its memory limit is ended by the host. */
    private static final long OOM_SETTLE_MS = 1_000;
    /** The reason (and alert type) of a plugin whose pinned node is away ({@code NodeUnavailableException}'s code). */
    static final String NODE_UNAVAILABLE = "node_unavailable";

    private final AlertBook book;
    private final AlertRules rules;
    private final PluginManager plugins;
    private final Event<AuditEvent> audit;
    private final PluginMetrics metrics;
    private final Set<String> oomAlerted = ConcurrentHashMap.newKeySet();
    /** Plugins told, by an alert, that they wait for their node; told again only after they ran or stopped. */
    private final Set<String> nodeWaitAlerted = ConcurrentHashMap.newKeySet();

    @Inject
    public LimitEnforcer(HostConfig config, PluginManager plugins, Event<AuditEvent> audit, PluginMetrics metrics) {
        HostConfig.Monitor m = config.monitor();
        this.book = new AlertBook(m.alertsKept());
        this.rules = new AlertRules(m.memoryWarningPercent(), m.cpuWarningPercent(), m.cpuSustainedSamples(),
                m.pidsWarningPercent());
        this.plugins = plugins;
        this.audit = audit;
        this.metrics = metrics;
    }

    /** Runs the limit checks on a fresh sample. */
    void check(String pluginId, UsageSample sample, EffectiveLimits limits, AlertRules.State state) {
        for (AlertCondition c : rules.check(sample, limits, state)) {
            Alert alert = raise(pluginId, c);
            if (alert.isCritical()) {
                Thread.ofVirtual().name("enforce-" + pluginId).start(() -> {
                    sleep(OOM_SETTLE_MS);
                    if (!oomAlerted.contains(pluginId)) { // the OOM path ends it with reason oom
                        terminate(pluginId, sample.containerId(), c.reason());
                    }
                });
            }
        }
    }

    public List<Alert> alerts(String pluginId) {
        return book.of(pluginId);
    }

    public List<Alert> alerts(Optional<Boolean> acknowledged) {
        return book.all(acknowledged);
    }

    public Alert acknowledge(String pluginId, String alertId) {
        Alert acked = book.acknowledge(pluginId, alertId);
        audit.fire(AuditEvent.of("alert", pluginId, AuditActor.current(), "acknowledged",
                AuditEvent.newDetails().put("alertId", alertId)));
        return acked;
    }

    void onOom(@Observes ContainerOomEvent event) {
        Optional<PluginHandle> handle = handle(event.pluginId());
        if (handle.isEmpty()) {
            return;
        }
        String current = handle.get().snapshot().containerId();
        if (current != null && !current.equals(event.containerId())) {
            return; // an old container of this plugin
        }
        if (oomAlerted.add(event.pluginId())) {
            raise(event.pluginId(), oomCondition());
        }
        Thread.ofVirtual().name("oom-" + event.pluginId())
                .start(() -> terminate(event.pluginId(), event.containerId(), "oom"));
    }

    /**
     * Restart decisions: each is audited ({@code restart}); a crash loop also raises a critical
     * {@code crash_loop} alert naming the last reasons.
     */
    void onRestart(@Observes PluginRestartEvent event) {
        ObjectNode details = AuditEvent.newDetails().put("reason", event.reason()).put("restarts", event.restarts())
                .put("windowSeconds", event.windowSec());
        if (PluginRestartEvent.SCHEDULED.equals(event.kind())) {
            details.put("delayMs", event.delayMs());
        }
        event.reasons().forEach(details.putArray("lastReasons")::add);
        audit.fire(AuditEvent.of("restart", event.pluginId(), AuditEvent.HOST, event.kind(), details));
        metrics.restart(event.pluginId(), event.kind());
        if (PluginRestartEvent.CRASH_LOOP.equals(event.kind())) {
            raise(event.pluginId(), new AlertCondition("crash_loop", Alert.CRITICAL, "the plugin failed after "
                    + event.restarts() + " restarts within " + event.windowSec() + " s and stays FAILED; last reasons: "
                    + String.join(", ", event.reasons()), event.restarts(), event.restarts(), "crash_loop"));
        }
    }

    /**
     * Cluster mode: the node running the plugin was lost; a warning alert names it (the plugin is started again
     * elsewhere by its restart policy, audited {@code restart}).
     */
    void onNodeLost(@Observes ContainerNodeLostEvent event) {
        raise(event.pluginId(), new AlertCondition("node_lost", Alert.WARNING, "the swarm node " + event.nodeId()
                + " that ran the plugin was lost (" + event.reason() + "); the plugin is started again on another"
                + " node, or, when its data is pinned to that one, once it is back", 0, 0,
                "node_lost"));
    }

    /**
     * Cluster mode: the plugin's node was lost and the plugin was started on the task the swarm placed on another
     * node, its service kept (not a restart): audited {@code moved}, with a warning alert naming both nodes.
     */
    void onMoved(@Observes PluginMovedEvent event) {
        audit.fire(AuditEvent.of("moved", event.pluginId(), AuditEvent.HOST, "active", AuditEvent.newDetails()
                .put("fromNode", event.fromNode()).put("toNode", event.toNode()).put("tookMs", event.tookMs())));
        raise(event.pluginId(), new AlertCondition("node_moved", Alert.WARNING, "the plugin moved from the lost swarm"
                + " node " + event.fromNode() + " to node " + event.toNode() + ", where it runs again on its kept"
                + " service (" + event.tookMs() + " ms)", 0, 0, "node_moved"));
    }

    /** A plugin whose refusals outran what the audit trail records for it gets a warning alert. */
    void onRefusalFlood(@Observes AuditRefusalFlood flood) {
        raise(flood.pluginId(), new AlertCondition("refusals", Alert.WARNING, "the plugin makes the host refuse it "
                + "faster than " + flood.ratePerSecond() + " times per second (first left out: " + flood.kind()
                + "); further refusals are counted in audit summaries", flood.ratePerSecond(), flood.burst(), null));
    }

    /** After the plugin's {@code lifecycle} record ({@link LifecycleAuditor}): its alerts follow it in the trail. */
    void onState(@Observes @Priority(LifecycleAuditor.PRIORITY + 1) PluginStateEvent event) {
        if (event.to() == PluginState.STARTING) {
            oomAlerted.remove(event.pluginId());
        } else if ((event.to() == PluginState.FAILED || event.to() == PluginState.RESTARTING)
                && "oom".equals(event.reason())
                && oomAlerted.add(event.pluginId())) {
            raise(event.pluginId(), oomCondition());
        } else if ((event.to() == PluginState.FAILED || event.to() == PluginState.RESTARTING)
                && NODE_UNAVAILABLE.equals(event.reason())
                && nodeWaitAlerted.add(event.pluginId())) {
            raise(event.pluginId(), nodeWaitCondition(event.to()));
        } else if (event.to() == PluginState.UNINSTALLED) {
            book.forget(event.pluginId());
            oomAlerted.remove(event.pluginId());
            nodeWaitAlerted.remove(event.pluginId());
        }
        if (event.to() == PluginState.ACTIVE || event.to() == PluginState.INACTIVE) {
            nodeWaitAlerted.remove(event.pluginId());
        }
    }

    /**
     * Cluster mode: the node holding a pinned plugin's data is away. One warning per wait (not one per try): the
     * plugin waits for it (RESTARTING, {@code on-failure}) or is FAILED ({@code never}), with the same reason.
     */
    private static AlertCondition nodeWaitCondition(PluginState now) {
        return new AlertCondition(NODE_UNAVAILABLE, Alert.WARNING, "the swarm node holding the plugin's data is not"
                + " available (down, paused, drained or its agent not linked); "
                + (now == PluginState.RESTARTING ? "the plugin starts there again once it is back"
                : "the plugin stays FAILED until it is activated with the node back")
                + " (its data is not moved)", 0, 0, NODE_UNAVAILABLE);
    }

    private Alert raise(String pluginId, AlertCondition c) {
        Alert alert = book.add(pluginId, c, Instant.now());
        metrics.alert(pluginId, alert.severity());
        LOG.logf(alert.isCritical() ? Logger.Level.WARN : Logger.Level.INFO, "plugin %s: %s alert (%s): %s",
                pluginId, alert.severity(), alert.type(), alert.message());
        audit.fire(AuditEvent.of("alert", pluginId, AuditEvent.HOST, alert.severity(), AuditEvent.newDetails()
                .put("alertId", alert.id()).put("type", alert.type()).put("severity", alert.severity())
                .put("message", alert.message()).put("current", alert.current()).put("limit", alert.limit())));
        return alert;
    }

    private void terminate(String pluginId, String containerId, String reason) {
        Optional<PluginHandle> handle = handle(pluginId);
        if (handle.isEmpty()) {
            return;
        }
        String current = handle.get().snapshot().containerId();
        if (current == null || !current.equals(containerId)) {
            return; // ended or replaced meanwhile
        }
        try {
            handle.get().terminate(reason);
        } catch (RuntimeException e) {
            LOG.warnf("plugin %s: ending it after a critical alert failed: %s", pluginId, e.getMessage());
        }
    }

    private Optional<PluginHandle> handle(String pluginId) {
        try {
            return Optional.of(plugins.get(pluginId));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    private static AlertCondition oomCondition() {
        return new AlertCondition("oom", Alert.CRITICAL,
                "the kernel's OOM killer ended a process in the container (memory limit reached)", 1, 0, "oom");
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
