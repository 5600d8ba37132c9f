package io.logomesh.host.container.docker.swarm;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.logomesh.host.container.docker.ContainerLabels;

import java.util.List;
import java.util.Map;

/**
 * The body of {@code POST /services/create} for one worker's node agent: a service of one replica pinned to that
 * node ({@code node.id==<id>}), so each node's agent holds a certificate of its own, naming its node, that no other
 * node ever receives (a swarm secret reaches only the nodes that run a task using it). From the control plane's own image (the agent is the same application, another main class), in the
 * node's network namespace (it dials the control plane; plugins never share it), with the node's plugin folders
 * mounted at the same path ({@link NodeFolders}) and its key, certificate and the control plane's CA as swarm
 * secrets (encrypted in the swarm's store, handed only to the nodes running the agent, in memory at
 * {@code /run/secrets}). It runs as root with only {@code CHOWN}, {@code DAC_OVERRIDE} and {@code FOWNER} (it
 * gives each plugin's IPC folder to that plugin's uid; {@code DAC_OVERRIDE} also lets it write the plugins'
 * {@code oom_score_adj}), read-only root, bounded memory, pids and log. It mounts its node's engine socket (it
 * finds the plugins' containers, follows the engine's events and sets their memory+swap and live limits),
 * read-only the node's cgroup hierarchy (it reads the plugins' counters), and a procfs of the node's processes only
 * ({@link #procMount()}: {@code subset=pid}, mounted by the node's engine, so its pid namespace is the node's): the
 * processes' files, writable for {@code oom_score_adj}, and none of the kernel's own ({@code sysrq-trigger},
 * {@code sys}, {@code kcore}, {@code timer_list}, {@code acpi}, …), on any kernel, whichever of them it has. The agent
 * is as trusted on its node as the engine; no plugin container mounts any of these.
 */
public final class SwarmAgentSpec {

    /** The agents' service names begin with this, followed by the node's id. */
    public static final String NAME = "logomesh-agent-";
    /** The label naming the node an agent's service serves. */
    public static final String NODE_LABEL = "io.logomesh.node";
    /** The agent's main class. */
    public static final String MAIN = "io.logomesh.host.agent.NodeAgent";
    /** Where the control plane's image keeps the application (deploy/Dockerfile). */
    static final String APP = "/opt/logomesh/app";
    static final long MEMORY = 256L << 20;
    static final long PIDS = 256;
    /** Where the agent sees its node's engine socket, cgroup hierarchy and {@code /proc}. */
    static final String ENGINE_TARGET = "/run/logomesh/engine.sock";
    static final String CGROUP_TARGET = "/host/sys/fs/cgroup";
    static final String PROC_TARGET = "/host/proc";
    /**
     * The options of the agent's procfs: only the processes' folders ({@code subset=pid}, Linux 5.8; an older
     * kernel's engine fails the agent's task, saying so, rather than show the agent the kernel's files).
     */
    static final String PROC_OPTIONS = "subset=pid";
    /** The name of the agent's procfs volume on each node (one, reused by every agent task there). */
    public static final String PROC_VOLUME = "logomesh-agent-proc";

    private static final ObjectMapper JSON = new ObjectMapper();
    /** A swarm node id: lower-case letters and digits (25 of them from the engine). */
    private static final java.util.regex.Pattern NODE_ID = java.util.regex.Pattern.compile("[a-z0-9]{1,40}");

    /**
     * A swarm secret the agent reads.
     *
     * @param id       the secret's id
     * @param name     its name in the swarm
     * @param fileName its file under {@code /run/secrets} ({@code key.pem}, {@code cert.pem}, {@code ca.pem})
     */
    public record Secret(String id, String name, String fileName) {
    }

    private SwarmAgentSpec() {
    }

    /**
     * @param nodeId       the swarm node the agent serves (its only placement)
     * @param imageId      the control plane's image by id
     * @param controlPlane the relay address the agents dial ({@code host:port})
     * @param folders      where the plugins' folders are on every node
     * @param secrets      the swarm secrets holding {@code key.pem}, {@code cert.pem} and {@code ca.pem}
     * @param hostId       the control plane's host id (label)
     * @param engineSocket the engine socket's path on every node (may hold {@code {{.Node.Hostname}}})
     */
    public static ObjectNode of(String nodeId, String imageId, String controlPlane, NodeFolders folders,
                                List<Secret> secrets, String hostId, String engineSocket) {
        if (!NODE_ID.matcher(nodeId).matches()) {
            throw new IllegalArgumentException("not a swarm node id: " + nodeId);
        }
        if (!imageId.startsWith("sha256:")) {
            throw new IllegalArgumentException("a service names its image by id (sha256:…), not " + imageId);
        }
        ObjectNode body = JSON.createObjectNode();
        body.put("Name", NAME + nodeId);
        Map<String, String> labels = Map.of(ContainerLabels.HOST, hostId, "io.logomesh.component", "node-agent",
                NODE_LABEL, nodeId);
        body.set("Labels", JSON.valueToTree(labels));
        ObjectNode task = body.putObject("TaskTemplate");
        ObjectNode c = task.putObject("ContainerSpec");
        c.put("Image", imageId);
        c.set("Labels", JSON.valueToTree(labels));
        c.set("Command", JSON.valueToTree(List.of("/opt/java/bin/java")));
        c.set("Args", JSON.valueToTree(List.of("-XX:+UseSerialGC", "-Xmx64m", "-XX:TieredStopAtLevel=1",
                "--sun-misc-unsafe-memory-access=allow",
                "-cp", APP + "/app/*:" + APP + "/lib/boot/*:" + APP + "/lib/main/*", MAIN)));
        c.set("Env", JSON.valueToTree(List.of(
                "LOGOMESH_AGENT_CONTROL_PLANE=" + controlPlane,
                "LOGOMESH_AGENT_NODE_ID=" + NodeFolders.NODE_ID,
                "LOGOMESH_AGENT_NODE_ROOT=" + folders.root(),
                "LOGOMESH_AGENT_DATA_ROOT=" + folders.dataRoot(),
                "LOGOMESH_AGENT_TLS_DIR=/run/secrets",
                "LOGOMESH_AGENT_ENGINE=unix://" + ENGINE_TARGET,
                "LOGOMESH_AGENT_CGROUP_ROOT=" + CGROUP_TARGET,
                "LOGOMESH_AGENT_PROC_ROOT=" + PROC_TARGET)));
        // the image's HEALTHCHECK asks the control plane's HTTP port, which the agent does not serve: left on, the
        // agent's task turns unhealthy about a minute after its start and the swarm replaces it, again and again
        c.putObject("Healthcheck").set("Test", JSON.valueToTree(List.of("NONE")));
        c.put("User", "0:0");
        c.put("ReadOnly", true);
        c.set("CapabilityDrop", JSON.valueToTree(List.of("ALL")));
        c.set("CapabilityAdd", JSON.valueToTree(List.of("CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FOWNER")));
        ArrayNode mounts = c.putArray("Mounts");
        ObjectNode root = mounts.addObject();
        root.put("Type", "bind");
        root.put("Source", folders.root().toString());
        root.put("Target", folders.root().toString());
        root.put("ReadOnly", false);
        if (!folders.dataRoot().equals(folders.root())) {
            mounts.add(bind(folders.dataRoot().toString(), folders.dataRoot().toString(), false));
        }
        mounts.add(bind(engineSocket, ENGINE_TARGET, false));
        mounts.add(bind("/sys/fs/cgroup", CGROUP_TARGET, true));
        mounts.add(procMount());
        ObjectNode tmp = mounts.addObject();
        tmp.put("Type", "tmpfs");
        tmp.put("Target", "/tmp");
        tmp.putObject("TmpfsOptions").put("SizeBytes", 16L << 20).put("Mode", SwarmServiceSpec.TMP_MODE);
        ArrayNode files = c.putArray("Secrets");
        secrets.forEach(secret -> {
            ObjectNode s = files.addObject();
            s.put("SecretID", secret.id());
            s.put("SecretName", secret.name());
            ObjectNode file = s.putObject("File");
            file.put("Name", secret.fileName());
            file.put("UID", "0");
            file.put("GID", "0");
            file.put("Mode", 0400);
        });
        ObjectNode limits = task.putObject("Resources").putObject("Limits");
        limits.put("MemoryBytes", MEMORY);
        limits.put("Pids", PIDS);
        ObjectNode restart = task.putObject("RestartPolicy");
        restart.put("Condition", "any");
        restart.put("Delay", 1_000_000_000L);
        task.putObject("Placement").putArray("Constraints").add("node.role==worker").add("node.id==" + nodeId);
        ObjectNode log = task.putObject("LogDriver");
        log.put("Name", "json-file");
        log.set("Options", JSON.valueToTree(Map.of("max-size", "1m", "max-file", "2")));
        task.putArray("Networks").addObject().put("Target", "host");
        body.putObject("Mode").putObject("Replicated").put("Replicas", 1);
        return body;
    }

    /**
     * A procfs of its own for the agent, not a bind of the node's {@code /proc}: a volume of the local driver,
     * {@value #PROC_VOLUME}, which the node's engine creates once and mounts ({@code mount -t proc -o subset=pid proc})
     * in its own pid namespace, the node's, as it creates the task's container. Named, so the agent's tasks reuse one
     * volume per node (anonymous ones were left behind on the test swarm's workers by the agent's earlier tasks); it
     * holds no data, and stays on the node when the agent's service goes. It lists the node's processes ({@code /proc/<pid>/oom_score_adj}
     * to write, {@code /proc/<pid>/net/dev} and {@code task/<tid>/children} to read) and nothing else: no
     * {@code sysrq-trigger}, {@code sys}, {@code irq} or other file of the kernel to be bound read-only (a bind of a
     * path a kernel lacks fails the task; an entry that is not there needs none), no submounts such as
     * {@code binfmt_misc}. A fresh procfs mount with options of its own; the node's {@code /proc} keeps its own. Nothing
     * is copied into it from the image ({@code NoCopy}).
     */
    static ObjectNode procMount() {
        ObjectNode m = JSON.createObjectNode();
        m.put("Type", "volume");
        m.put("Source", PROC_VOLUME);
        m.put("Target", PROC_TARGET);
        m.put("ReadOnly", false);
        ObjectNode options = m.putObject("VolumeOptions").put("NoCopy", true);
        options.set("Labels", JSON.valueToTree(Map.of("io.logomesh.component", "node-agent")));
        ObjectNode driver = options.putObject("DriverConfig");
        driver.put("Name", "local");
        driver.set("Options", JSON.valueToTree(Map.of("type", "proc", "device", "proc", "o", PROC_OPTIONS)));
        return m;
    }

    private static ObjectNode bind(String source, String target, boolean readOnly) {
        ObjectNode m = JSON.createObjectNode();
        m.put("Type", "bind");
        m.put("Source", source);
        m.put("Target", target);
        m.put("ReadOnly", readOnly);
        return m;
    }
}
