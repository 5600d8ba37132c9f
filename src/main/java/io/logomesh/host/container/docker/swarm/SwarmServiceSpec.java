package io.logomesh.host.container.docker.swarm;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.logomesh.host.container.ContainerSpec;
import io.logomesh.host.container.docker.ContainerLabels;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Turns a {@link ContainerSpec} into the body of the Engine API's {@code POST /services/create} (API 1.41, Engine
 * 20.10): one replica of the plugin's container, with every part of the lockdown the service spec can express.
 * docker-java's service model lacks {@code CapabilityDrop}, {@code Ulimits} and {@code Pids}, so the body is
 * written as JSON here.
 *
 * <p>In the spec: the plugin's uid, read-only root, no capabilities, a noexec tmpfs {@code /tmp} (the engine
 * mounts tmpfs {@code noexec,nosuid,nodev}), memory, CPU and pids limits, the {@code nofile} and {@code core}
 * ulimits, a bounded json-file log, no network attached, and only the plugin's own folders on the node
 * ({@link NodeFolders}). Not expressible on API 1.41, and set by each worker engine's configuration instead
 * ({@code deploy/swarm-testbed.sh}, docs/cluster.md): {@code no-new-privileges} and the seccomp profile (service
 * fields from API 1.44), {@code --network none} (moby#44403: a task without networks gets only {@code lo} when its
 * engine runs with {@code "bridge": "none"}), the private IPC namespace and the {@code /dev/shm} size; memory =
 * memory+swap is set by the node agent on each task's container as it starts (service field from API 1.52); the
 * OOM score (API 1.46) is not set. The service's name, its {@link PluginSlot#LABEL} label and its code and IPC
 * folders are its {@link PluginSlot}'s (from the spec's IPC folder), so a new version started beside the running
 * one during an upgrade collides with it nowhere; the data folder is the plugin's, shared by both slots.
 */
public final class SwarmServiceSpec {

    /** Label on a plugin's service (and its containers) naming the node (id) it is pinned to, if any. */
    public static final String PINNED = "io.logomesh.node";
    /** How long a task may take to stop before the engine kills it. */
    static final Duration STOP_GRACE = Duration.ofSeconds(2);
    /** The delay before the engine restarts a failed task (on its node or, when that node is lost, another). */
    static final Duration RESTART_DELAY = Duration.ofMillis(200);
    /** The mode of {@code /tmp}: 1777, as a decimal file mode. */
    static final int TMP_MODE = 01777;

    private static final ObjectMapper JSON = new ObjectMapper();

    private SwarmServiceSpec() {
    }

    /**
     * The service body for one plugin.
     *
     * @param spec       the plugin's container, as the single-host factory gets it (its host folders are not used:
     *                   the node's are, see {@link NodeFolders})
     * @param imageId    the runtime image by id ({@code sha256:…}), so that no node tries to pull it
     * @param folders    where the plugin's folders are on every node
     * @param hostId     the control plane's host id (label {@code io.logomesh.host})
     * @param pinnedNode the node id a plugin with {@code fileSystemAccess} is pinned to (its data is there)
     */
    public static ObjectNode of(ContainerSpec spec, String imageId, NodeFolders folders, String hostId,
                                Optional<String> pinnedNode) {
        if (!imageId.startsWith("sha256:")) {
            throw new IllegalArgumentException("a service names its image by id (sha256:…), not " + imageId);
        }
        if (spec.dataDir().isPresent() && pinnedNode.isEmpty()) {
            throw new IllegalArgumentException("a plugin with a data folder is pinned to the node that has it");
        }
        PluginSlot slot = PluginSlot.of(spec);
        Map<String, String> labels = new TreeMap<>(Map.of(ContainerLabels.PLUGIN, spec.pluginId(),
                ContainerLabels.HOST, hostId, PluginSlot.LABEL, slot.labelValue()));
        pinnedNode.ifPresent(node -> labels.put(PINNED, node));

        ObjectNode body = JSON.createObjectNode();
        body.put("Name", slot.serviceName());
        body.set("Labels", JSON.valueToTree(labels));
        ObjectNode task = body.putObject("TaskTemplate");
        task.set("ContainerSpec", containerSpec(spec, slot, imageId, folders, labels));
        ObjectNode limits = task.putObject("Resources").putObject("Limits");
        limits.put("NanoCPUs", ContainerSpec.nanoCpus(spec.cpuPercent()));
        limits.put("MemoryBytes", spec.memoryBytes());
        limits.put("Pids", spec.pidsLimit());
        ObjectNode restart = task.putObject("RestartPolicy");
        restart.put("Condition", "on-failure");
        restart.put("Delay", RESTART_DELAY.toNanos());
        restart.put("MaxAttempts", 0);
        ArrayNode constraints = task.putObject("Placement").putArray("Constraints");
        constraints.add("node.role==worker");
        pinnedNode.ifPresent(node -> constraints.add("node.id==" + node));
        ObjectNode log = task.putObject("LogDriver");
        log.put("Name", "json-file");
        log.set("Options", JSON.valueToTree(Map.of("max-size", spec.logMaxSize(),
                "max-file", Integer.toString(spec.logMaxFiles()))));
        task.putArray("Networks");
        task.put("ForceUpdate", 0);
        body.putObject("Mode").putObject("Replicated").put("Replicas", 1);
        return body;
    }

    private static ObjectNode containerSpec(ContainerSpec spec, PluginSlot slot, String imageId, NodeFolders folders,
                                            Map<String, String> labels) {
        ObjectNode c = JSON.createObjectNode();
        c.put("Image", imageId);
        c.set("Labels", JSON.valueToTree(labels));
        c.put("Hostname", spec.pluginId());
        ArrayNode env = c.putArray("Env");
        new TreeMap<>(spec.env()).forEach((k, v) -> env.add(k + "=" + v));
        c.put("Dir", ContainerSpec.CODE_MOUNT);
        c.put("User", spec.uid() + ":" + spec.uid());
        c.put("ReadOnly", true);
        ArrayNode mounts = c.putArray("Mounts");
        mounts.add(bind(folders.codeSource(slot), ContainerSpec.CODE_MOUNT, true));
        mounts.add(bind(folders.ipcSource(slot), ContainerSpec.IPC_MOUNT, true));
        if (spec.dataDir().isPresent()) {
            mounts.add(bind(folders.dataSource(spec.pluginId()), ContainerSpec.DATA_MOUNT, false));
        }
        ObjectNode tmp = mounts.addObject();
        tmp.put("Type", "tmpfs");
        tmp.put("Target", "/tmp");
        ObjectNode tmpfs = tmp.putObject("TmpfsOptions");
        tmpfs.put("SizeBytes", Math.max(1024L * 1024, spec.tmpfsBytes()));
        tmpfs.put("Mode", TMP_MODE);
        c.put("StopGracePeriod", STOP_GRACE.toNanos());
        c.set("CapabilityDrop", JSON.valueToTree(List.of("ALL")));
        ArrayNode ulimits = c.putArray("Ulimits");
        ulimits.add(ulimit("nofile", spec.nofile()));
        ulimits.add(ulimit("core", 0));
        c.put("Init", false);
        return c;
    }

    private static ObjectNode bind(String source, String target, boolean readOnly) {
        ObjectNode m = JSON.createObjectNode();
        m.put("Type", "bind");
        m.put("Source", source);
        m.put("Target", target);
        m.put("ReadOnly", readOnly);
        m.putObject("BindOptions").put("Propagation", "rprivate");
        return m;
    }

    private static ObjectNode ulimit(String name, long value) {
        ObjectNode u = JSON.createObjectNode();
        u.put("Name", name);
        u.put("Soft", value);
        u.put("Hard", value);
        return u;
    }
}
