package io.logomesh.host.plugin;

import io.logomesh.host.audit.AuditTrail;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.interceptor.Interceptor;

/**
 * Hands every {@link PluginStateEvent} to the audit trail as a {@code lifecycle} record
 * ({@link AuditTrail#recordLifecycle}), synchronously, so that the audit layer needs nothing of this one.
 * It is told the change after the observers of default priority (a grant released as the plugin stops is
 * recorded before it) and before the limit enforcer's (an oom alert is recorded after it).
 */
@ApplicationScoped
public class LifecycleAuditor {

    /** Just after the observers of default priority ({@code APPLICATION + 500}). */
    public static final int PRIORITY = Interceptor.Priority.APPLICATION + 501;

    private final AuditTrail trail;

    @Inject
    public LifecycleAuditor(AuditTrail trail) {
        this.trail = trail;
    }

    void onStateChange(@Observes @Priority(PRIORITY) PluginStateEvent event) {
        trail.recordLifecycle(event.pluginId(), event.from().name(), event.to().name(), event.reason(),
                event.to() == PluginState.FAILED, event.at());
    }
}
