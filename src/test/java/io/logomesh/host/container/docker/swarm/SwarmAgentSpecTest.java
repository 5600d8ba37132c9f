package io.logomesh.host.container.docker.swarm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SwarmAgentSpecTest {

    private static final String IMAGE = "sha256:" + "b".repeat(64);
    private static final String NODE = "x2p7kq1hn3v0a9zs8d4m6c5bw";
    private static final NodeFolders FOLDERS = new NodeFolders(Path.of("/run/lmn"));
    private static final List<SwarmAgentSpec.Secret> SECRETS = List.of(
            new SwarmAgentSpec.Secret("s1", "logomesh-agent-" + NODE + "-g-key.pem", "key.pem"),
            new SwarmAgentSpec.Secret("s2", "logomesh-agent-" + NODE + "-g-cert.pem", "cert.pem"));

    private static ObjectNode body() {
        return SwarmAgentSpec.of(NODE, IMAGE, "10.0.0.1:7000", FOLDERS, SECRETS, "h1", "/run/docker.sock");
    }

    @Test
    void shouldPlaceOneAgentOnItsOwnWorkerOnly() {
        ObjectNode body = body();
        assertThat(body.path("Name").asText()).isEqualTo("logomesh-agent-" + NODE);
        assertThat(body.at("/Mode/Replicated/Replicas").asInt()).isEqualTo(1);
        assertThat(body.at("/Mode/Global").isMissingNode()).as("not a global service").isTrue();
        List<String> constraints = new ArrayList<>();
        body.at("/TaskTemplate/Placement/Constraints").forEach(c -> constraints.add(c.asText()));
        assertThat(constraints).containsExactlyInAnyOrder("node.role==worker", "node.id==" + NODE);
        assertThat(body.at("/Labels/io.logomesh.node").asText()).isEqualTo(NODE);
        assertThat(body.at("/Labels/io.logomesh.component").asText()).isEqualTo("node-agent");
    }

    @Test
    void shouldMountTheNodesDataRootIntoTheAgentAtTheSamePathOnlyWhenItIsSetApart() {
        List<String> mounts = new ArrayList<>();
        SwarmAgentSpec.of(NODE, IMAGE, "10.0.0.1:7000", new NodeFolders(Path.of("/run/lmn"), Path.of("/srv/lm-data")),
                SECRETS, "h1", "/run/docker.sock").at("/TaskTemplate/ContainerSpec/Mounts")
                .forEach(m -> mounts.add(m.path("Source").asText() + " -> " + m.path("Target").asText()));
        assertThat(mounts).contains("/run/lmn -> /run/lmn", "/srv/lm-data -> /srv/lm-data");
        List<String> env = new ArrayList<>();
        body().at("/TaskTemplate/ContainerSpec/Env").forEach(e -> env.add(e.asText()));
        assertThat(env).contains("LOGOMESH_AGENT_DATA_ROOT=/run/lmn");
        List<String> same = new ArrayList<>();
        body().at("/TaskTemplate/ContainerSpec/Mounts").forEach(m -> same.add(m.path("Target").asText()));
        assertThat(same).filteredOn(t -> t.startsWith("/run/lmn")).containsExactly("/run/lmn");
    }

    @Test
    void shouldHandTheAgentOnlyItsOwnSecretsReadableByRootAlone() {
        JsonNode secrets = body().at("/TaskTemplate/ContainerSpec/Secrets");
        assertThat(secrets).hasSize(2);
        secrets.forEach(s -> {
            assertThat(s.path("SecretName").asText()).contains(NODE);
            assertThat(s.at("/File/Mode").asInt()).isEqualTo(0400);
            assertThat(s.at("/File/UID").asText()).isEqualTo("0");
        });
    }

    @Test
    void shouldKeepTheLockdownOfTheAgentsContainer() {
        JsonNode c = body().at("/TaskTemplate/ContainerSpec");
        assertThat(c.path("ReadOnly").asBoolean()).isTrue();
        assertThat(c.at("/CapabilityDrop/0").asText()).isEqualTo("ALL");
        List<String> added = new ArrayList<>();
        c.path("CapabilityAdd").forEach(a -> added.add(a.asText()));
        assertThat(added).containsExactlyInAnyOrder("CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FOWNER");
        assertThat(body().at("/TaskTemplate/Resources/Limits/Pids").asLong()).isEqualTo(SwarmAgentSpec.PIDS);
    }

    @Test
    void shouldTurnOffTheImagesHealthCheckWhichAsksAnHttpPortTheAgentDoesNotServe() {
        JsonNode test = body().at("/TaskTemplate/ContainerSpec/Healthcheck/Test");
        assertThat(test.isArray()).as("else the swarm replaces the unhealthy agent a minute after each start").isTrue();
        assertThat(test.get(0).asText()).isEqualTo("NONE");
        assertThat(test.size()).isEqualTo(1);
    }

    @Test
    void shouldGiveTheAgentAProcfsOfTheNodesProcessesOnlyAndNoBindOfTheNodesProc() {
        JsonNode mounts = body().at("/TaskTemplate/ContainerSpec/Mounts");
        java.util.Map<String, JsonNode> byTarget = new java.util.HashMap<>();
        mounts.forEach(m -> byTarget.put(m.path("Target").asText(), m));
        JsonNode proc = byTarget.get("/host/proc");
        assertThat(proc.path("Type").asText()).as("a procfs the node's engine mounts, not a bind").isEqualTo("volume");
        assertThat(proc.path("Source").asText()).as("one per node, not one more per task")
                .isEqualTo(SwarmAgentSpec.PROC_VOLUME);
        assertThat(proc.path("ReadOnly").asBoolean()).as("the processes' oom_score_adj").isFalse();
        assertThat(proc.at("/VolumeOptions/NoCopy").asBoolean()).isTrue();
        JsonNode driver = proc.at("/VolumeOptions/DriverConfig");
        assertThat(driver.path("Name").asText()).isEqualTo("local");
        assertThat(driver.at("/Options/type").asText()).isEqualTo("proc");
        assertThat(driver.at("/Options/device").asText()).isEqualTo("proc");
        assertThat(driver.at("/Options/o").asText()).as("no sysrq-trigger, sys, kcore, timer_list: pids only")
                .isEqualTo("subset=pid");
        mounts.forEach(m -> {
            assertThat(m.path("Source").asText()).as("no bind of the node's /proc or anything in it")
                    .doesNotStartWith("/proc");
            assertThat(m.path("Target").asText()).as("nothing bound over the procfs").doesNotStartWith("/host/proc/");
        });
        assertThat(byTarget.get("/host/sys/fs/cgroup").path("ReadOnly").asBoolean()).isTrue();
    }

    @Test
    void shouldRefuseWhatIsNotANodeIdOrAnImageById() {
        assertThatThrownBy(() -> SwarmAgentSpec.of("node.id!=x", IMAGE, "a:1", FOLDERS, SECRETS, "h", "/s"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SwarmAgentSpec.of(NODE, "logomesh-host:latest", "a:1", FOLDERS, SECRETS, "h", "/s"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
