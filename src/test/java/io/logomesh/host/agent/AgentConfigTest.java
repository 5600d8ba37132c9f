package io.logomesh.host.agent;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AgentConfigTest {

    private static final String NODE = "n0de1d0f7hetestsw4rm00001";

    @Test
    void shouldReadTheAgentsSettingsFromItsEnvironment() {
        AgentConfig c = AgentConfig.fromEnv(Map.of("LOGOMESH_AGENT_CONTROL_PLANE", "10.252.0.1:7443",
                "LOGOMESH_AGENT_NODE_ID", NODE, "LOGOMESH_AGENT_NODE_ROOT", "/run/lmn"));

        assertThat(c.controlPlane().getHostString()).isEqualTo("10.252.0.1");
        assertThat(c.controlPlane().getPort()).isEqualTo(7443);
        assertThat(c.nodeId()).isEqualTo(NODE);
        assertThat(c.nodeRoot()).isEqualTo(Path.of("/run/lmn"));
        assertThat(c.tlsDir()).as("swarm secrets").isEqualTo(Path.of("/run/secrets"));
        assertThat(c.dataRoot()).as("data under the node root unless set apart").isEqualTo(Path.of("/run/lmn"));
        assertThat(AgentConfig.fromEnv(Map.of("LOGOMESH_AGENT_CONTROL_PLANE", "10.252.0.1:7443",
                "LOGOMESH_AGENT_NODE_ID", NODE, "LOGOMESH_AGENT_NODE_ROOT", "/run/lmn",
                "LOGOMESH_AGENT_DATA_ROOT", "/srv/lm-data")).dataRoot()).isEqualTo(Path.of("/srv/lm-data"));
    }

    @Test
    void shouldRefuseAMissingOrMalformedSettingNamingIt() {
        Map<String, String> good = Map.of("LOGOMESH_AGENT_CONTROL_PLANE", "10.252.0.1:7443",
                "LOGOMESH_AGENT_NODE_ID", NODE, "LOGOMESH_AGENT_NODE_ROOT", "/run/lmn");
        assertThatThrownBy(() -> AgentConfig.fromEnv(Map.of())).hasMessageContaining("LOGOMESH_AGENT_CONTROL_PLANE");
        assertThatThrownBy(() -> AgentConfig.fromEnv(with(good, "LOGOMESH_AGENT_NODE_ROOT", "/run/" + "r".repeat(40))))
                .as("a plugin's egress.sock under it would pass 107 bytes").hasMessageContaining("LOGOMESH_AGENT_NODE_ROOT")
                .hasMessageContaining("longer than 43 bytes");
        assertThatThrownBy(() -> AgentConfig.fromEnv(with(good, "LOGOMESH_AGENT_CONTROL_PLANE", "10.252.0.1")))
                .hasMessageContaining("host:port");
        assertThatThrownBy(() -> AgentConfig.fromEnv(with(good, "LOGOMESH_AGENT_CONTROL_PLANE", "h:99999")))
                .hasMessageContaining("host:port");
        assertThatThrownBy(() -> AgentConfig.fromEnv(with(good, "LOGOMESH_AGENT_NODE_ID", "{{.Node.ID}}")))
                .as("the template unresolved: not run as a swarm service").hasMessageContaining("node id");
        assertThatThrownBy(() -> AgentConfig.fromEnv(with(good, "LOGOMESH_AGENT_NODE_ROOT", "relative")))
                .hasMessageContaining("absolute");
    }

    private static Map<String, String> with(Map<String, String> base, String key, String value) {
        var m = new java.util.HashMap<>(base);
        m.put(key, value);
        return m;
    }
}
