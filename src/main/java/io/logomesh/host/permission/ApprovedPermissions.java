package io.logomesh.host.permission;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.logomesh.host.config.AtomicFiles;
import io.logomesh.host.plugin.PluginStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Permissions an operator approved for plugins at run time, beyond their manifests (not to be confused
 * with resource grants, the memory/CPU loans of {@code monitor/GrantLedger}). Kept per plugin in
 * {@code permissions.json} in its state folder, so a host restart keeps them; removed with the plugin.
 * Only {@link PermissionService} reads them: it is the one authority on what a plugin holds.
 */
@ApplicationScoped
public class ApprovedPermissions {

    private static final Logger LOG = Logger.getLogger(ApprovedPermissions.class);
    private static final String FILE = "permissions.json";

    private final PluginStore store;
    private final ObjectMapper mapper;
    private final Map<String, Set<String>> granted = new ConcurrentHashMap<>();

    @Inject
    public ApprovedPermissions(PluginStore store, ObjectMapper mapper) {
        this.store = store;
        this.mapper = mapper;
    }

    /** The permissions granted to a plugin at run time. */
    public Set<String> of(String pluginId) {
        return Set.copyOf(load(pluginId));
    }

    public boolean has(String pluginId, String permission) {
        return load(pluginId).contains(permission);
    }

    /** Adds a grant; returns whether it was new. */
    public boolean grant(String pluginId, String permission) {
        Set<String> set = load(pluginId);
        synchronized (set) {
            boolean added = set.add(permission);
            if (added) {
                save(pluginId, set);
            }
            return added;
        }
    }

    /** Removes a grant; returns whether it was there. */
    public boolean revoke(String pluginId, String permission) {
        Set<String> set = load(pluginId);
        synchronized (set) {
            boolean removed = set.remove(permission);
            if (removed) {
                save(pluginId, set);
            }
            return removed;
        }
    }

    /** Forgets a plugin (uninstalled; its folder is gone with the file). */
    public void forget(String pluginId) {
        granted.remove(pluginId);
    }

    private Set<String> load(String pluginId) {
        return granted.computeIfAbsent(pluginId, id -> {
            Set<String> set = new TreeSet<>();
            Path file = store.pluginDir(id).resolve(FILE);
            if (Files.exists(file)) {
                try {
                    mapper.readTree(file.toFile()).path("granted").forEach(p -> set.add(p.asText()));
                } catch (IOException e) {
                    LOG.warnf("cannot read the run-time grants of %s (%s); starting without them", id, e.getMessage());
                }
            }
            return set;
        });
    }

    private void save(String pluginId, Set<String> set) {
        Path dir = store.pluginDir(pluginId);
        if (!Files.isDirectory(dir)) {
            return;
        }
        try {
            var node = mapper.createObjectNode();
            set.forEach(node.putArray("granted")::add);
            AtomicFiles.write(dir.resolve(FILE), mapper.writerWithDefaultPrettyPrinter().writeValueAsBytes(node));
        } catch (IOException e) {
            LOG.warnf("cannot save the run-time grants of %s: %s", pluginId, e.getMessage());
        }
    }
}
