package io.logomesh.host.action;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.logomesh.host.audit.AuditActor;
import io.logomesh.host.audit.AuditEvent;
import io.logomesh.host.manifest.ManifestViolation;
import io.logomesh.host.manifest.PluginManifest;
import io.logomesh.host.permission.PermissionService;
import io.logomesh.host.plugin.ActionRequest;
import io.logomesh.host.plugin.PluginHandle;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Validates an action against its plugin's declared {@code actions} before the plugin sees it (the
 * seed's validateAction): an undeclared type or a payload that fails its schema is refused
 * ({@code invalid_action}, 400), an action whose {@code requires} the plugin does not hold is
 * refused ({@code action_denied}, 403). Every refusal is audited ({@code action}, {@code denied}).
 * Plugins that declare no actions are not checked.
 */
@ApplicationScoped
public class ActionGuard {

    private final PermissionService permissions;
    private final Event<AuditEvent> audit;
    /** Compiled declarations per plugin id, with the manifest they were compiled from (looked up by identity). */
    private final Map<String, Compiled> compiled = new ConcurrentHashMap<>();

    private record Compiled(PluginManifest manifest, ActionDeclarations declarations) {
    }

    @Inject
    public ActionGuard(PermissionService permissions, Event<AuditEvent> audit) {
        this.permissions = permissions;
        this.audit = audit;
    }

    /** Passes, or throws {@link ActionRefusedException} after auditing the refusal. */
    public void check(PluginHandle plugin, ActionRequest action) {
        PluginManifest manifest = plugin.manifest();
        ActionDeclarations declarations = declarationsOf(manifest);
        if (!declarations.declared()) {
            return;
        }
        var declared = declarations.type(action.type());
        if (declared.isEmpty()) {
            throw refuse(plugin, action, new ActionRefusedException("invalid_action", "plugin " + plugin.id()
                    + " does not declare action type '" + action.type() + "' (declared: "
                    + String.join(", ", declarations.typeNames()) + ")", List.of()));
        }
        List<ManifestViolation> violations = declared.get().violations(action.payload());
        if (!violations.isEmpty()) {
            throw refuse(plugin, action, new ActionRefusedException("invalid_action", "the payload of '"
                    + action.type() + "' does not match its schema (" + violations.size() + " problem"
                    + (violations.size() == 1 ? "" : "s") + ": " + violations.get(0).path() + " "
                    + violations.get(0).message() + ")", violations));
        }
        for (String permission : declared.get().requires()) {
            if (!permissions.holds(manifest, permission)) {
                throw refuse(plugin, action, new ActionRefusedException("action_denied", "'" + action.type()
                        + "' requires the permission '" + permission + "', which plugin " + plugin.id()
                        + " does not hold", List.of()));
            }
        }
    }

    /** The manifest's compiled declarations; compiled again only for another manifest (a reinstall). */
    private ActionDeclarations declarationsOf(PluginManifest manifest) {
        Compiled c = compiled.get(manifest.id());
        if (c == null || c.manifest() != manifest) {
            c = new Compiled(manifest, ActionDeclarations.of(manifest.raw()));
            compiled.put(manifest.id(), c);
        }
        return c.declarations();
    }

    private ActionRefusedException refuse(PluginHandle plugin, ActionRequest action, ActionRefusedException e) {
        ObjectNode details = AuditEvent.newDetails().put("actionId", action.id()).put("actionType", action.type())
                .put("code", e.code()).put("reason", e.getMessage());
        audit.fire(AuditEvent.of("action", plugin.id(), AuditActor.current(), "denied", details));
        return e;
    }
}
