package io.logomesh.host.plugin;

import io.logomesh.host.manifest.ManifestViolation;
import io.logomesh.host.manifest.PluginDependency;
import io.logomesh.host.manifest.PluginManifest;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The dependency rules between installed plugins, over a view of them (id → handle):
 * cycles at install, what activation needs, in which order a cascade runs, and who depends
 * on whom. Pure logic; the manager applies it.
 */
final class Dependencies {

    private final Function<String, Optional<PluginHandle>> installed;
    private final Iterable<PluginHandle> all;

    Dependencies(Map<String, PluginHandle> handles) {
        this.installed = id -> Optional.ofNullable(handles.get(id));
        this.all = handles.values();
    }

    /** A violation at {@code /dependencies} when installing {@code candidate} would close a cycle. */
    Optional<ManifestViolation> cycle(PluginManifest candidate) {
        List<String> path = new ArrayList<>();
        path.add(candidate.id());
        if (findPathBack(candidate, candidate.id(), path, new LinkedHashSet<>())) {
            return Optional.of(new ManifestViolation("/dependencies",
                    "would form a dependency cycle: " + String.join(" -> ", path)));
        }
        return Optional.empty();
    }

    private boolean findPathBack(PluginManifest from, String target, List<String> path, Set<String> seen) {
        for (PluginDependency dep : from.dependencies()) {
            path.add(dep.id());
            if (dep.id().equals(target)) {
                return true;
            }
            Optional<PluginHandle> next = installed.apply(dep.id());
            if (seen.add(dep.id()) && next.isPresent() && findPathBack(next.get().manifest(), target, path, seen)) {
                return true;
            }
            path.remove(path.size() - 1);
        }
        return false;
    }

    /** Refuses unless every dependency of {@code plugin} is installed in a matching version and ACTIVE. */
    void requireActive(PluginHandle plugin) {
        for (PluginDependency dep : plugin.manifest().dependencies()) {
            PluginHandle other = requireInstalled(plugin, dep);
            if (other.state() != PluginState.ACTIVE) {
                throw new DependencyException("dependency_inactive", "plugin " + plugin.id() + " needs " + dep.id()
                        + ", which is " + other.state() + "; activate it first or use ?cascade=true");
            }
        }
    }

    /**
     * The plugins to activate for {@code target}, dependencies first (each once, target last).
     * Checks the whole closure for missing and conflicting versions before anything starts.
     */
    List<PluginHandle> activationOrder(PluginHandle target) {
        LinkedHashSet<PluginHandle> order = new LinkedHashSet<>();
        visitDependencies(target, order, new LinkedHashSet<>());
        return List.copyOf(order);
    }

    private void visitDependencies(PluginHandle plugin, Set<PluginHandle> order, Set<String> visiting) {
        if (order.contains(plugin) || !visiting.add(plugin.id())) {
            return;
        }
        for (PluginDependency dep : plugin.manifest().dependencies()) {
            visitDependencies(requireInstalled(plugin, dep), order, visiting);
        }
        order.add(plugin);
    }

    /** Plugins that run (STARTING, ACTIVE, STOPPING) and declare {@code id} as a dependency. */
    List<PluginHandle> runningDependents(String id) {
        return dependents(id).stream().filter(h -> h.state().isRunning()).toList();
    }

    /** Every installed plugin that declares {@code id} as a dependency. */
    List<PluginHandle> dependents(String id) {
        List<PluginHandle> out = new ArrayList<>();
        for (PluginHandle h : all) {
            if (h.manifest().dependencies().stream().anyMatch(d -> d.id().equals(id))) {
                out.add(h);
            }
        }
        return out;
    }

    /** For a cascaded deactivation: running dependents, theirs first, then {@code target} last. */
    List<PluginHandle> deactivationOrder(PluginHandle target) {
        LinkedHashSet<PluginHandle> order = new LinkedHashSet<>();
        visitDependents(target, order, new LinkedHashSet<>());
        return order.stream().filter(h -> h == target || h.state().isRunning()).toList();
    }

    private void visitDependents(PluginHandle plugin, Set<PluginHandle> order, Set<String> visiting) {
        if (order.contains(plugin) || !visiting.add(plugin.id())) {
            return;
        }
        for (PluginHandle dependent : dependents(plugin.id())) {
            visitDependents(dependent, order, visiting);
        }
        order.add(plugin);
    }

    private PluginHandle requireInstalled(PluginHandle plugin, PluginDependency dep) {
        PluginHandle other = installed.apply(dep.id()).orElseThrow(() -> new DependencyException("dependency_missing",
                "plugin " + plugin.id() + " needs " + dep.id() + " " + dep.range() + ", which is not installed"));
        if (!dep.isSatisfiedBy(other.manifest().version())) {
            throw new DependencyException("dependency_conflict", "plugin " + plugin.id() + " needs " + dep.id() + " "
                    + dep.range() + " but version " + other.manifest().version() + " is installed");
        }
        return other;
    }

    /** Splits {@code plugins} into waves: each plugin comes in a later wave than those among them it depends on. */
    static List<List<PluginHandle>> waves(List<PluginHandle> plugins) {
        List<List<PluginHandle>> waves = new ArrayList<>();
        List<PluginHandle> left = new ArrayList<>(plugins);
        while (!left.isEmpty()) {
            List<PluginHandle> wave = left.stream().filter(h -> h.manifest().dependencies().stream()
                    .noneMatch(d -> left.stream().anyMatch(o -> o.id().equals(d.id())))).toList();
            if (wave.isEmpty()) {
                wave = List.copyOf(left);
            }
            waves.add(wave);
            left.removeAll(wave);
        }
        return waves;
    }

    static String ids(List<PluginHandle> handles) {
        return String.join(", ", handles.stream().map(PluginHandle::id).toList());
    }
}
