package io.logomesh.host.health;

import io.logomesh.host.plugin.EngineWatch;
import io.logomesh.host.plugin.PluginManager;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready only once the plugins that should run have been started again: DOWN while the start-up reactivation
 * runs, and from the moment the engine stopped answering until the reconciliation after its return is done.
 */
@Readiness
public class PluginsReconciledCheck implements HealthCheck {

    static final String NAME = "plugins-reconciled";

    private final PluginManager plugins;
    private final EngineWatch engine;

    @Inject
    public PluginsReconciledCheck(PluginManager plugins, EngineWatch engine) {
        this.plugins = plugins;
        this.engine = engine;
    }

    @Override
    public HealthCheckResponse call() {
        if (!engine.isSettled()) {
            return HealthCheckResponse.named(NAME).down()
                    .withData("message", "the engine was away; plugins are started again once it answers").build();
        }
        if (plugins.isReconciling()) {
            return HealthCheckResponse.named(NAME).down()
                    .withData("message", "starting again the plugins that should run").build();
        }
        return HealthCheckResponse.named(NAME).up().build();
    }
}
