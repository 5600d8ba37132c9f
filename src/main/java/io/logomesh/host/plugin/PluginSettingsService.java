package io.logomesh.host.plugin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.logomesh.host.audit.AuditActor;
import io.logomesh.host.audit.AuditEvent;
import io.logomesh.host.settings.OperatorConfigs;
import io.logomesh.host.settings.SecretStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;

import java.util.List;

/**
 * Operators' settings of an installed plugin: config values (merged over the bundle's, checked against
 * {@code configSchema}, given to a running plugin at once as a {@code config} notification and to every
 * later activation in {@code initialize}) and write-only secrets (given in {@code initialize} only, so a
 * change reaches a running plugin at its next activation or upgrade). Audit records name config keys and
 * secret names, never a secret's value.
 */
@ApplicationScoped
public class PluginSettingsService {

    private final PluginManager plugins;
    private final OperatorConfigs configs;
    private final SecretStore secrets;
    private final Event<AuditEvent> audit;

    @Inject
    public PluginSettingsService(PluginManager plugins, OperatorConfigs configs, SecretStore secrets,
                                 Event<AuditEvent> audit) {
        this.plugins = plugins;
        this.configs = configs;
        this.secrets = secrets;
        this.audit = audit;
    }

    /**
     * A plugin's config as operators see it.
     *
     * @param pluginId  the plugin
     * @param bundle    the bundle's {@code config}
     * @param operator  the operator's values ({@code {}} when none)
     * @param effective what the plugin gets: {@code operator} merged over {@code bundle}
     * @param delivered after a PUT: {@code live} (sent to the running plugin) or {@code next_activation}; else null
     */
    public record ConfigView(String pluginId, JsonNode bundle, JsonNode operator, JsonNode effective,
                             String delivered) {
    }

    public ConfigView config(String id) {
        PluginHandle handle = plugins.get(id);
        return new ConfigView(id, handle.manifest().config(), configs.operatorValues(id),
                configs.effective(handle.manifest()), null);
    }

    /** Replaces the operator's values (checked first); a running plugin gets the new effective config at once. */
    public ConfigView putConfig(String id, JsonNode values) {
        PluginHandle handle = plugins.get(id);
        ObjectNode effective = configs.put(handle.manifest(), values);
        ObjectNode params = JsonNodeFactory.instance.objectNode();
        params.set("config", effective);
        boolean live = handle.notifyRuntime("config", params);
        ObjectNode details = AuditEvent.newDetails().put("delivered", live ? "live" : "next_activation");
        var keys = details.putArray("keys");
        values.fieldNames().forEachRemaining(keys::add);
        audit.fire(AuditEvent.of("config", id, AuditActor.current(), "ok", details));
        return new ConfigView(id, handle.manifest().config(), values, effective, live ? "live" : "next_activation");
    }

    public List<SecretStore.SecretName> secretNames(String id) {
        plugins.get(id);
        return secrets.names(id);
    }

    /** Stores a secret; the answer and the audit record carry its name only. */
    public SecretStore.SecretName putSecret(String id, String name, String value) {
        plugins.get(id);
        SecretStore.SecretName stored = secrets.put(id, name, value);
        audit.fire(AuditEvent.of("secret", id, AuditActor.current(), "set",
                AuditEvent.newDetails().put("name", name)));
        return stored;
    }

    public void deleteSecret(String id, String name) {
        plugins.get(id);
        secrets.delete(id, name);
        audit.fire(AuditEvent.of("secret", id, AuditActor.current(), "deleted",
                AuditEvent.newDetails().put("name", name)));
    }
}
