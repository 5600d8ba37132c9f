package io.logomesh.host.plugin;

import io.logomesh.host.audit.AuditActor;
import io.logomesh.host.audit.AuditEvent;
import io.logomesh.host.manifest.Bundle;
import io.logomesh.host.manifest.ManifestInvalidException;
import io.logomesh.host.manifest.PluginDependency;
import io.logomesh.host.manifest.PluginManifest;
import io.logomesh.host.settings.ConfigInvalidException;
import io.logomesh.host.settings.OperatorConfigs;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Upgrades one installed plugin to a new bundle of the same id, checked like an install (the caller has
 * extracted and loaded it) plus: no installed dependent's version range may stop matching
 * ({@code dependents_incompatible}, 409, naming them) and the operator's config must satisfy the new
 * {@code configSchema} ({@code config_invalid}, 400). {@code /data}, operator config, secrets and run-time
 * grants stay (they are not in the code folder). One upgrade per plugin at a time. The audit record
 * (type {@code upgrade}) says from → to, and whether it was a rollback.
 */
final class Upgrader {

    private final PluginStore store;
    private final Dependencies dependencies;
    private final OperatorConfigs configs;
    private final Consumer<AuditEvent> audit;
    private final Consumer<PluginUpgradedEvent> upgraded;
    private final Set<String> upgrading = ConcurrentHashMap.newKeySet();

    Upgrader(PluginStore store, Dependencies dependencies, OperatorConfigs configs, Consumer<AuditEvent> audit,
             Consumer<PluginUpgradedEvent> upgraded) {
        this.upgraded = upgraded;
        this.store = store;
        this.dependencies = dependencies;
        this.configs = configs;
        this.audit = audit;
    }

    /**
     * Checks {@code bundle} against the installed {@code handle} and its dependents (under {@code installLock}),
     * moves its code to the plugin's {@code code.next}, then lets the handle switch.
     */
    void upgrade(PluginHandle handle, Bundle bundle, Object installLock, boolean rollback) {
        PluginManifest next = bundle.manifest();
        String id = handle.id();
        if (!next.id().equals(id)) {
            throw new PluginIdMismatchException("the bundle is plugin '" + next.id() + "', not '" + id
                    + "'; an upgrade keeps the id (install it as a new plugin instead)");
        }
        if (!upgrading.add(id)) {
            throw new IllegalTransitionException(id, handle.state(), "upgrade (another upgrade is in progress)");
        }
        PluginManifest from = handle.manifest();
        try {
            synchronized (installLock) {
                dependencies.cycle(next).ifPresent(v -> {
                    throw new ManifestInvalidException(List.of(v));
                });
                requireDependentsMatch(id, next);
                ObjectNode effective = OperatorConfigs.merge(next.config(), configs.operatorValues(id));
                var violations = OperatorConfigs.violations(next, effective);
                if (!violations.isEmpty()) {
                    throw new ConfigInvalidException(violations);
                }
                PluginStore.deleteTree(store.nextCodeDir(id));
                Files.move(bundle.root(), store.nextCodeDir(id), StandardCopyOption.ATOMIC_MOVE);
            }
            handle.upgrade(next, () -> upgraded.accept(new PluginUpgradedEvent(id, from.version().toString(), next,
                    handle.snapshot().containerId(), rollback, java.time.Instant.now())));
            record(id, from, next, rollback, "ok", null);
        } catch (PluginUpgradeFailedException e) {
            record(id, from, next, rollback, "failed", e.getMessage());
            throw e;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot stage the new code of " + id, e);
        } finally {
            PluginStore.deleteTree(store.nextCodeDir(id));
            upgrading.remove(id);
        }
    }

    private void requireDependentsMatch(String id, PluginManifest next) {
        List<String> broken = new ArrayList<>();
        for (PluginHandle dependent : dependencies.dependents(id)) {
            for (PluginDependency d : dependent.manifest().dependencies()) {
                if (d.id().equals(id) && !d.isSatisfiedBy(next.version())) {
                    broken.add(dependent.id() + " (needs " + d.range() + ")");
                }
            }
        }
        if (!broken.isEmpty()) {
            throw new DependencyException("dependents_incompatible", "version " + next.version() + " of " + id
                    + " would no longer match installed plugin(s) " + String.join(", ", broken)
                    + "; upgrade them first or pick a matching version");
        }
    }

    private void record(String id, PluginManifest from, PluginManifest to, boolean rollback, String outcome,
                        String reason) {
        ObjectNode details = AuditEvent.newDetails()
                .put("from", from.version().toString())
                .put("to", to.version().toString())
                .put("rollback", rollback);
        if (reason != null) {
            details.put("reason", reason);
        }
        audit.accept(AuditEvent.of("upgrade", id, AuditActor.current(), outcome, details));
    }
}
