package io.logomesh.host.system;

import io.logomesh.host.cluster.ContainerFactoryProducer;
import io.logomesh.host.config.HostIdentity;
import io.logomesh.host.container.ContainerEngine;
import io.logomesh.host.container.ContainerEngineException;
import io.logomesh.host.container.ContainerFactory;
import io.logomesh.host.container.EngineInfo;
import io.logomesh.host.manifest.PluginManifest.Runtime;
import io.logomesh.host.plugin.ContainerSpecs;
import io.logomesh.host.plugin.HostVersions;
import io.logomesh.host.plugin.PluginManager;
import io.logomesh.host.plugin.PluginSnapshot;
import io.logomesh.host.plugin.PluginState;
import io.logomesh.host.volume.DataVolumes;
import jakarta.enterprise.context.ApplicationScoped;
import io.logomesh.host.prewarm.CellPool;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.Config;

import java.lang.management.ManagementFactory;
import java.time.Instant;
import java.util.Collection;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/** Gathers the {@link SystemReport}: asks the engine, checks the runtime images, counts the plugins. */
@ApplicationScoped
public class SystemInfo {

    /** Configuration prefix of the host-wide resource budget (defined by the monitor). */
    static final String BUDGET_PREFIX = "logomesh.monitor.budget.";

    private final ContainerEngine engine;
    private final ContainerFactory containers;
    private final ContainerSpecs specs;
    private final PluginManager plugins;
    private final HostIdentity identity;
    private final Config config;
    private final DataVolumes volumes;
    private final CellPool cells;
    private final ContainerFactoryProducer placement;

    @Inject
    public SystemInfo(ContainerEngine engine, ContainerFactory containers, ContainerSpecs specs,
                      PluginManager plugins, HostIdentity identity, Config config, DataVolumes volumes,
                      CellPool cells, ContainerFactoryProducer placement) {
        this.placement = placement;
        this.volumes = volumes;
        this.cells = cells;
        this.engine = engine;
        this.containers = containers;
        this.specs = specs;
        this.plugins = plugins;
        this.identity = identity;
        this.config = config;
    }

    /** The report as of now. */
    public SystemReport report() {
        EngineInfo engineInfo = engine.describe();
        return new SystemReport(host(), engineInfo, images(engineInfo.available()), plugins(plugins.list()),
                budget(config), volumes.status(), cells.status(),
                new SystemReport.Cluster(placement.mode(), java.util.List.copyOf(placement.nodes())));
    }

    private SystemReport.Host host() {
        String version = config.getOptionalValue("quarkus.application.version", String.class).orElse("unknown");
        Instant started = Instant.ofEpochMilli(ManagementFactory.getRuntimeMXBean().getStartTime());
        return new SystemReport.Host(identity.id(), version, HostVersions.API_VERSION, started);
    }

    private Map<String, SystemReport.Image> images(boolean engineAvailable) {
        Map<String, SystemReport.Image> images = new LinkedHashMap<>();
        for (Runtime runtime : Runtime.values()) {
            String image = specs.imageFor(runtime);
            images.put(runtime.wireName(), new SystemReport.Image(image, engineAvailable ? present(image) : null));
        }
        return images;
    }

    private Boolean present(String image) {
        try {
            return containers.imageExists(image);
        } catch (ContainerEngineException e) {
            return null;
        }
    }

    /** Counts plugins per state; every state but UNINSTALLED appears, zeros included. */
    static SystemReport.Plugins plugins(Collection<PluginSnapshot> all) {
        Map<PluginState, Long> byState = new EnumMap<>(PluginState.class);
        for (PluginState state : PluginState.values()) {
            if (state != PluginState.UNINSTALLED) {
                byState.put(state, 0L);
            }
        }
        for (PluginSnapshot plugin : all) {
            byState.merge(plugin.state(), 1L, Long::sum);
        }
        return new SystemReport.Plugins(all.size(), byState);
    }

    /**
     * Every {@code logomesh.monitor.budget.*} setting as a map (kebab-case keys turned camelCase,
     * numbers as numbers), or null when none is set: the budget is optional.
     */
    static Map<String, Object> budget(Config config) {
        Map<String, Object> budget = new TreeMap<>();
        for (String name : config.getPropertyNames()) {
            if (!name.startsWith(BUDGET_PREFIX)) {
                continue;
            }
            config.getOptionalValue(name, String.class)
                    .ifPresent(value -> budget.put(camelCase(name.substring(BUDGET_PREFIX.length())), typed(value)));
        }
        return budget.isEmpty() ? null : budget;
    }

    private static String camelCase(String key) {
        StringBuilder out = new StringBuilder();
        boolean upper = false;
        for (char c : key.toCharArray()) {
            if (c == '-' || c == '.') {
                upper = true;
            } else {
                out.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            }
        }
        return out.toString();
    }

    private static Object typed(String value) {
        String v = value.strip();
        if (v.matches("-?\\d{1,18}")) {
            return Long.parseLong(v);
        }
        if (v.matches("-?\\d+\\.\\d+")) {
            return Double.parseDouble(v);
        }
        if (v.equals("true") || v.equals("false")) {
            return Boolean.parseBoolean(v);
        }
        return v;
    }
}
