package io.logomesh.host.permission;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.logomesh.host.PluginHostException;
import io.logomesh.host.audit.AuditActor;
import io.logomesh.host.audit.AuditEvent;
import io.logomesh.host.audit.AuditText;
import io.logomesh.host.config.DataFolder;
import io.logomesh.host.egress.EgressService;
import io.logomesh.host.manifest.HostPattern;
import io.logomesh.host.manifest.PermissionAuthority;
import io.logomesh.host.manifest.PermissionLevels;
import io.logomesh.host.manifest.PluginManifest;
import io.logomesh.host.plugin.PluginHandle;
import io.logomesh.host.plugin.PluginManager;
import io.logomesh.host.plugin.PluginState;
import io.logomesh.host.plugin.PluginStateEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which permissions a plugin holds and how it gets more: the one {@link PermissionAuthority} of the
 * host (actions, messaging, events, resource grants and the container spec all ask it). A plugin holds
 * what its manifest declares (the validator already refused what its {@code securityLevel} forbids)
 * plus what an operator approved at run time ({@link ApprovedPermissions}). {@code requestPermission}
 * is granted at once when held, refused at once when the level forbids it outright or when the
 * permission cannot take effect in a running container ({@code filesystem}: {@code /data} is mounted
 * only when the container is created, so it must be declared), and otherwise becomes a pending
 * {@link PermissionRequest} for an operator; the plugin's call answers immediately and it may ask
 * again later to see the status. Every decision is audited ({@code permission}).
 *
 * <p>What an approval does, per permission: {@code network} opens the plugin's {@code egress.sock}, its one
 * way out through the host's egress proxy (docs/egress.md; the container itself never has a network), with
 * the allow-list of its manifest's {@code resourceRequirements.allowedHosts} plus every approved
 * {@code network:<host-pattern>}; approving such a pattern also gives {@code network}, and revoking one
 * refuses new connections to it and cuts open ones; revoking {@code network} itself (deny after approval)
 * revokes its run-time patterns too, closes the socket and cuts every open connection, without a restart.
 * The socket is opened whenever the plugin starts (state {@code STARTING}) while it holds {@code network},
 * and closed when it stops;
 * {@code resources:grant}, {@code messaging:*} and {@code events:*} are checked on each use, so the next
 * {@code requestResource}, message or event after the approval is allowed (after a revoke refused;
 * resources already lent stay until released or the plugin stops).
 */
@ApplicationScoped
public class PermissionService implements PermissionAuthority {

    private static final Logger LOG = Logger.getLogger(PermissionService.class);
    private static final int MAX_REQUESTS_KEPT = 10_000;
    /** Most undecided requests one plugin may have open at once. */
    static final int MAX_PENDING_PER_PLUGIN = 20;

    private final PluginManager plugins;
    private final ApprovedPermissions approved;
    private final Event<AuditEvent> audit;
    private final EgressService egress;
    private final DataFolder data;
    private final Map<String, PermissionRequest> requests = new ConcurrentHashMap<>();

    @Inject
    public PermissionService(PluginManager plugins, ApprovedPermissions approved, Event<AuditEvent> audit,
                             EgressService egress, DataFolder data) {
        this.plugins = plugins;
        this.approved = approved;
        this.audit = audit;
        this.egress = egress;
        this.data = data;
    }

    /**
     * Permissions that only take effect when the container is created, so an operator's approval at run
     * time could change nothing: {@code requestPermission} refuses them at once with this reason.
     */
    static final Map<String, String> ONLY_AT_CREATION = Map.of("filesystem", "'filesystem' cannot be granted to a "
            + "running plugin: /data is a volume mounted only when its container is created; declare it in the "
            + "manifest (permissions or resourceRequirements.fileSystemAccess)");

    /**
     * Whether the plugin holds the permission exactly: declared in its manifest, or approved by an operator
     * at run time (never for {@link #ONLY_AT_CREATION} permissions, which only the manifest gives).
     */
    @Override
    public boolean holds(PluginManifest manifest, String permission) {
        if (permission.startsWith(PermissionLevels.NETWORK_PREFIX)) {
            String pattern = canonical(permission).substring(PermissionLevels.NETWORK_PREFIX.length());
            return allowList(manifest).contains(pattern) && holdsNetwork(manifest);
        }
        return PermissionAuthority.declares(manifest, permission)
                || (!ONLY_AT_CREATION.containsKey(permission) && approved.has(manifest.id(), permission))
                || ("network".equals(permission) && approvedPatterns(manifest.id()).findAny().isPresent());
    }

    /** Whether the plugin may use the egress proxy now: it holds {@code network}. */
    public boolean holdsNetwork(PluginManifest manifest) {
        return holds(manifest, "network");
    }

    /**
     * The plugin's egress allow-list, canonical patterns: its manifest's {@code allowedHosts} and the
     * {@code network:<pattern>} an operator approved (whether or not it holds {@code network} now).
     */
    public List<String> allowList(PluginManifest manifest) {
        java.util.LinkedHashSet<String> list = new java.util.LinkedHashSet<>();
        manifest.resources().allowedHosts().forEach(h -> list.add(HostPattern.parse(h).toString()));
        approvedPatterns(manifest.id()).forEach(list::add);
        return List.copyOf(list);
    }

    /** What the plugin may reach through the egress proxy now. */
    public EgressStatus egressStatus(String pluginId) {
        PluginHandle handle = plugins.get(pluginId);
        PluginManifest manifest = handle.manifest();
        java.util.Set<String> declared = new java.util.HashSet<>();
        manifest.resources().allowedHosts().forEach(h -> declared.add(HostPattern.parse(h).toString()));
        List<EgressStatus.Entry> entries = allowList(manifest).stream()
                .map(p -> new EgressStatus.Entry(p, declared.contains(p) ? "manifest" : "operator")).toList();
        var endpoint = egress.endpoint(pluginId);
        return new EgressStatus(pluginId, holdsNetwork(manifest), endpoint.isPresent(), egress.allowPrivate(),
                entries, endpoint.map(e -> e.openConnections()).orElse(0));
    }

    private java.util.stream.Stream<String> approvedPatterns(String pluginId) {
        return approved.of(pluginId).stream().filter(p -> p.startsWith(PermissionLevels.NETWORK_PREFIX))
                .map(p -> p.substring(PermissionLevels.NETWORK_PREFIX.length()));
    }

    /** {@code network:<pattern>} with the pattern in its one written form ({@code network:api.example.com:443}). */
    static String canonical(String permission) {
        if (!permission.startsWith(PermissionLevels.NETWORK_PREFIX)) {
            return permission;
        }
        String pattern = permission.substring(PermissionLevels.NETWORK_PREFIX.length());
        return HostPattern.problem(pattern).isPresent() ? permission
                : PermissionLevels.NETWORK_PREFIX + HostPattern.parse(pattern);
    }

    /**
     * Whether the plugin may publish ({@code direction = "publish"}) or receive ({@code "subscribe"})
     * the topic: it holds {@code events:<direction>:<pattern>} with a pattern matching the topic.
     */
    public boolean holdsTopic(PluginManifest manifest, String direction, String topic) {
        String prefix = "events:" + direction + ":";
        return manifest.permissions().stream().anyMatch(p -> matchesTopic(p, prefix, topic))
                || approved.of(manifest.id()).stream().anyMatch(p -> matchesTopic(p, prefix, topic));
    }

    private static boolean matchesTopic(String permission, String prefix, String topic) {
        return permission.startsWith(prefix) && TopicPattern.matches(permission.substring(prefix.length()), topic);
    }

    /** A plugin asks for a permission at run time. */
    public PermissionRequest request(PluginHandle caller, String asked) {
        if (asked.startsWith(PermissionLevels.NETWORK_PREFIX)) {
            HostPattern.problem(asked.substring(PermissionLevels.NETWORK_PREFIX.length())).ifPresent(why -> {
                throw new PermissionException("invalid_permission", "'" + AuditText.cutId(asked)
                        + "' is not a network permission: " + why);
            });
        }
        if (!PermissionLevels.isRunTimePermission(asked)) {
            throw new PermissionException("invalid_permission", "'" + AuditText.cutId(asked) + "' is not a permission; use "
                    + "network, network:<host>:<port>, filesystem, resources:grant, messaging:<plugin-id>, "
                    + "events:publish:<topic> or events:subscribe:<topic>");
        }
        String permission = canonical(asked);
        PluginManifest manifest = caller.manifest();
        String id = caller.id();
        Instant now = Instant.now();
        if (holds(manifest, permission)) {
            String why = PermissionAuthority.declares(manifest, permission)
                    || (permission.startsWith(PermissionLevels.NETWORK_PREFIX) && manifest.resources().allowedHosts()
                    .stream().map(h -> PermissionLevels.NETWORK_PREFIX + HostPattern.parse(h)).anyMatch(permission::equals))
                    ? "declared in the manifest" : "granted by an operator";
            PermissionRequest r = new PermissionRequest(newId(), id, permission, PermissionRequest.GRANTED, now, now,
                    AuditEvent.HOST, why);
            audited(r, AuditEvent.plugin(id));
            return r;
        }
        Optional<String> forbidden = PermissionLevels.forbiddenAtRunTime(manifest.securityLevel(), permission)
                .or(() -> Optional.ofNullable(ONLY_AT_CREATION.get(permission)));
        if (forbidden.isPresent()) {
            PermissionRequest r = new PermissionRequest(newId(), id, permission, PermissionRequest.DENIED, now, now,
                    AuditEvent.HOST, forbidden.get());
            audited(r, AuditEvent.plugin(id));
            return r;
        }
        Optional<PermissionRequest> open = requests.values().stream()
                .filter(r -> r.pluginId().equals(id) && r.permission().equals(permission))
                .max(Comparator.comparing(PermissionRequest::requestedAt));
        if (open.isPresent() && !PermissionRequest.GRANTED.equals(open.get().status())) {
            return open.get(); // pending, or denied by an operator: asking again shows the decision
        }
        long pending = requests.values().stream()
                .filter(x -> x.pluginId().equals(id) && PermissionRequest.PENDING.equals(x.status())).count();
        if (pending >= MAX_PENDING_PER_PLUGIN) {
            throw new PermissionException("too_many_requests", "plugin " + id + " already has " + pending
                    + " permission requests waiting for an operator");
        }
        PermissionRequest r = new PermissionRequest(newId(), id, permission, PermissionRequest.PENDING, now, null,
                null, null);
        if (requests.size() >= MAX_REQUESTS_KEPT) {
            requests.values().stream().filter(x -> !PermissionRequest.PENDING.equals(x.status()))
                    .min(Comparator.comparing(PermissionRequest::requestedAt)).ifPresent(x -> requests.remove(x.id()));
        }
        requests.put(r.id(), r);
        audited(r, AuditEvent.plugin(id));
        return r;
    }

    /** Requests, oldest first, optionally of one status. */
    public List<PermissionRequest> list(Optional<String> status) {
        return requests.values().stream().filter(r -> status.map(r.status()::equals).orElse(true))
                .sorted(Comparator.comparing(PermissionRequest::requestedAt)).toList();
    }

    /** An operator approves a request (also one denied before); it counts at once. */
    public PermissionRequest approve(String requestId, String reason) {
        PermissionRequest r = find(requestId);
        PermissionRequest decided = r.decided(PermissionRequest.GRANTED, AuditActor.current(),
                reason == null || reason.isBlank() ? "approved by an operator" : reason);
        requests.put(r.id(), decided);
        approved.grant(r.pluginId(), r.permission());
        audited(decided, decided.decidedBy());
        applyEffect(r.pluginId(), r.permission(), true);
        return decided;
    }

    /** An operator refuses a request; refusing a granted one revokes the grant (and its effect). */
    public PermissionRequest deny(String requestId, String reason) {
        PermissionRequest r = find(requestId);
        PermissionRequest decided = r.decided(PermissionRequest.DENIED, AuditActor.current(),
                reason == null || reason.isBlank() ? "denied by an operator" : reason);
        requests.put(r.id(), decided);
        boolean revoked = approved.revoke(r.pluginId(), r.permission());
        if ("network".equals(r.permission())) {
            for (String p : approved.of(r.pluginId())) {
                if (p.startsWith(PermissionLevels.NETWORK_PREFIX)) {
                    revoked |= approved.revoke(r.pluginId(), p);
                    requests.replaceAll((id, x) -> x.pluginId().equals(r.pluginId()) && x.permission().equals(p)
                            && PermissionRequest.GRANTED.equals(x.status())
                            ? x.decided(PermissionRequest.DENIED, decided.decidedBy(), "revoked with 'network'") : x);
                }
            }
        }
        audited(decided, decided.decidedBy());
        if (revoked) {
            applyEffect(r.pluginId(), r.permission(), false);
        }
        return decided;
    }

    /**
     * Opens the plugin's egress socket when it starts while holding {@code network} (before its code runs),
     * closes it when it stops; forgets an uninstalled plugin.
     */
    void onStateChange(@Observes PluginStateEvent event) {
        String id = event.pluginId();
        switch (event.to()) {
            case STARTING -> {
                try {
                    PluginHandle handle = plugins.get(id);
                    if (holdsNetwork(handle.manifest())) {
                        openEgress(handle);
                    }
                } catch (PluginHostException e) {
                    LOG.warnf("plugin %s: its egress socket could not be opened: %s", id, e.getMessage());
                }
            }
            case INACTIVE, FAILED -> egress.close(id, "plugin " + event.to().name());
            case UNINSTALLED -> {
                egress.close(id, "plugin uninstalled");
                approved.forget(id);
                requests.values().removeIf(r -> r.pluginId().equals(id));
            }
            default -> {
                // ACTIVE, STOPPING, INSTALLED: the socket stays as it is
            }
        }
    }

    /**
     * A starting plugin took a prewarmed cell, which speaks in its own IPC folder as its own uid: the egress socket
     * opened for it at STARTING (in the plugin's own folder) moves there before the plugin's code runs. An upgrade's
     * new version on a cell is left to {@link #onUpgrade} (the old version keeps its socket until the switch).
     */
    void onCellPlacement(@Observes io.logomesh.host.plugin.PluginPlacedInCellEvent event) {
        try {
            PluginHandle handle = plugins.get(event.pluginId());
            if (handle.state() != PluginState.STARTING || !holdsNetwork(handle.manifest())) {
                return;
            }
            egress.open(event.pluginId(), event.ipcDir(), event.uid(), patterns(handle.manifest())); // moves it
        } catch (PluginHostException e) {
            LOG.warnf("plugin %s: its egress socket could not be opened in its cell: %s", event.pluginId(),
                    e.getMessage());
        }
    }

    /**
     * An upgraded plugin's new container speaks in another IPC folder: its egress socket moves there, with the
     * new version's allow-list (the run-time approvals stay approved).
     */
    void onUpgrade(@Observes io.logomesh.host.plugin.PluginUpgradedEvent event) {
        try {
            egress.close(event.pluginId(), "upgraded");
            PluginHandle handle = plugins.get(event.pluginId());
            if (event.containerId() != null && holdsNetwork(handle.manifest())) {
                openEgress(handle);
            }
        } catch (PluginHostException e) {
            LOG.warnf("plugin %s: its egress socket could not be moved to the new version: %s", event.pluginId(),
                    e.getMessage());
        }
    }

    /** The plugin's egress as its permissions say now: opened, given its new allow-list, or closed. */
    private void applyEffect(String pluginId, String permission, boolean enabled) {
        if (!"network".equals(permission) && !permission.startsWith(PermissionLevels.NETWORK_PREFIX)) {
            return; // the others are checked on each use
        }
        try {
            PluginHandle handle = plugins.get(pluginId);
            PluginState state = handle.state();
            boolean running = state == PluginState.ACTIVE || state == PluginState.STARTING;
            String effect;
            if (!holdsNetwork(handle.manifest())) {
                effect = egress.close(pluginId, "'network' revoked") ? "egress closed, open connections cut" : null;
            } else if (running) {
                openEgress(handle);
                effect = "egress allow-list: " + String.join(", ", allowList(handle.manifest()));
            } else {
                effect = null; // applied when it starts
            }
            LOG.infof("plugin %s: %s %s (%s): %s", pluginId, permission, enabled ? "approved" : "revoked", state,
                    effect == null ? "no effect now" : effect);
            if (effect != null) {
                ObjectNode details = AuditEvent.newDetails().put("permission", permission).put("effect", effect);
                audit.fire(AuditEvent.of("permission", pluginId, AuditEvent.HOST, enabled ? "applied" : "revoked",
                        details));
            }
        } catch (PluginHostException e) {
            LOG.warnf("plugin %s: the %s permission could not be %s: %s", pluginId, permission,
                    enabled ? "applied" : "removed", e.getMessage());
        }
    }

    /** Opens (or re-aims) the plugin's egress socket in the folder its running session speaks in (else its own). */
    private void openEgress(PluginHandle handle) {
        egress.open(handle.id(), handle.sessionIpcDir().orElse(data.ipcRoot().resolve(handle.ipcFolderName())),
                handle.snapshot().uid(), patterns(handle.manifest()));
    }

    private List<HostPattern> patterns(PluginManifest manifest) {
        return allowList(manifest).stream().map(HostPattern::parse).toList();
    }

    private PermissionRequest find(String requestId) {
        PermissionRequest r = requests.get(requestId);
        if (r == null) {
            throw new PermissionException("not_found", "no permission request '" + requestId + "'");
        }
        return r;
    }

    private void audited(PermissionRequest r, String actor) {
        ObjectNode details = AuditEvent.newDetails().put("permission", r.permission()).put("requestId", r.id());
        if (r.reason() != null) {
            details.put("reason", r.reason());
        }
        audit.fire(AuditEvent.of("permission", r.pluginId(), actor, r.status(), details));
    }

    private static String newId() {
        return UUID.randomUUID().toString();
    }
}
