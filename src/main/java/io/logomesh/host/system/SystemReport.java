package io.logomesh.host.system;

import org.eclipse.microprofile.openapi.annotations.media.Schema;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.logomesh.host.container.EngineInfo;
import io.logomesh.host.plugin.PluginState;
import io.logomesh.host.prewarm.CellPool;
import io.logomesh.host.volume.DataVolumeStatus;

import java.time.Instant;
import java.util.Map;

/**
 * {@code GET /api/v1/system}: this host, its container engine, the runtime images, the
 * plugins by state and the resource budget.
 *
 * @param host    this host instance
 * @param engine  the Docker engine as it describes itself
 * @param images  per runtime ({@code nodejs}, {@code python}, {@code webassembly}) its image and whether it exists
 * @param plugins installed plugins, counted by state
 * @param budget  the host-wide resource budget ({@code logomesh.monitor.budget.*}), or null when none is configured
 * @param dataVolumes how plugins' {@code /data} folders are bounded on this host
 * @param prewarm per runtime its pool of prewarmed cells: configured size, ready, starting, taken (docs/prewarm.md)
 * @param cluster where plugins run: this host's engine, or a Docker Swarm and its nodes (docs/cluster.md)
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record SystemReport(Host host, EngineInfo engine, Map<String, Image> images, Plugins plugins,
                           @Schema(nullable = true) Map<String, Object> budget, DataVolumeStatus dataVolumes,
                           Map<String, CellPool.PoolStatus> prewarm, Cluster cluster) {

    /**
     * Where plugins run.
     *
     * @param mode  {@code single} (this host's engine) or {@code swarm}
     * @param nodes in swarm mode, the nodes whose agent is linked now (swarm node ids); empty otherwise
     */
    public record Cluster(String mode, java.util.List<String> nodes) {
    }

    /**
     * This host instance.
     *
     * @param id         the host id (label {@code io.logomesh.host} on its containers)
     * @param version    the service's version
     * @param apiVersion the REST API's version
     * @param startedAt  when this process started
     */
    public record Host(String id, String version, String apiVersion, Instant startedAt) {
    }

    /**
     * One runtime's image.
     *
     * @param image   image reference the host runs plugins of that runtime with
     * @param present whether the engine has it (null when the engine does not answer)
     */
    public record Image(String image, Boolean present) {
    }

    /**
     * Installed plugins.
     *
     * @param total   how many
     * @param byState how many in each state (every state listed, zeros included)
     */
    public record Plugins(int total, Map<PluginState, Long> byState) {
    }
}
