package io.logomesh.host.monitor;

import io.logomesh.host.plugin.PluginHandle;
import io.logomesh.host.plugin.PluginManager;
import io.logomesh.host.plugin.PluginSnapshot;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.List;
import java.util.Optional;

/** Answers the monitoring questions of the REST API and of plugins: usage reports, history, alerts. */
@ApplicationScoped
public class UsageReports {

    private final PluginManager plugins;
    private final ResourceMonitor monitor;
    private final LimitEnforcer enforcer;
    private final GrantService grants;

    @Inject
    public UsageReports(PluginManager plugins, ResourceMonitor monitor, LimitEnforcer enforcer, GrantService grants) {
        this.plugins = plugins;
        this.monitor = monitor;
        this.enforcer = enforcer;
        this.grants = grants;
    }

    /** The report from the latest sample. @throws PluginNotRunningException when it has no running container */
    public ResourceUsageReport report(String pluginId) {
        return report(plugins.get(pluginId));
    }

    public ResourceUsageReport report(PluginHandle handle) {
        PluginSnapshot snap = handle.snapshot();
        UsageSample s = monitor.latest(snap);
        return ResourceUsageReport.of(snap.id(), snap.state().name(), s, grants.limits(handle),
                enforcer.alerts(snap.id()), grants.grants(snap.id()));
    }

    /** Samples of the last {@code seconds}, oldest first (the plugin must exist). */
    public List<UsagePoint> history(String pluginId, long seconds) {
        plugins.get(pluginId);
        return monitor.history(pluginId, seconds).stream().map(UsageSample::point).toList();
    }

    /** Checks that the plugin runs (for opening a stream). */
    public void requireRunning(String pluginId) {
        ResourceMonitor.requireRunning(plugins.get(pluginId).snapshot());
    }

    public Runnable subscribe(String pluginId, java.util.function.Consumer<UsageSample> listener) {
        return monitor.subscribe(pluginId, listener);
    }

    public List<Alert> alerts(String pluginId) {
        plugins.get(pluginId);
        return enforcer.alerts(pluginId);
    }

    public List<Alert> alerts(Optional<Boolean> acknowledged) {
        return enforcer.alerts(acknowledged);
    }

    public Alert acknowledge(String pluginId, String alertId) {
        plugins.get(pluginId);
        return enforcer.acknowledge(pluginId, alertId);
    }
}
