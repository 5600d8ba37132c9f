package io.logomesh.host.cluster;

import io.logomesh.host.container.ContainerEngineException;
import io.logomesh.host.container.NodeRefusedException;
import io.logomesh.host.ipc.relay.AgentLinks;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A plugin no node is ready for is the service's failure, as an engine that does not answer is: 503
 * {@code node_refused} (retried by its restart policy, not counted against it), never a plugin's 502.
 */
class AgentNodesTest {

    @Test
    void shouldSayNoNodeIsReadyAsTheServicesFailureWhenNoAgentIsLinked() {
        AgentLinks links = new AgentLinks();
        try {
            AgentNodes nodes = new AgentNodes(links, new NodeExits());

            assertThatThrownBy(() -> nodes.prepare("p1", 20_001, Map.of(), true, Duration.ofSeconds(1)))
                    .isInstanceOf(NodeRefusedException.class).isInstanceOf(ContainerEngineException.class)
                    .hasMessage("no swarm node is ready for the plugin: no node agent is linked")
                    .satisfies(e -> assertThat(((NodeRefusedException) e).code()).isEqualTo("node_refused"));
        } finally {
            links.close();
        }
    }

    @Test
    void shouldSayAPluginsServiceIsReplacedBeforeItsPrepareAndAtItsForget() {
        AgentLinks links = new AgentLinks();
        java.util.List<io.logomesh.host.container.docker.swarm.PluginSlot> replaced = new java.util.ArrayList<>();
        try {
            AgentNodes nodes = new AgentNodes(links, new NodeExits(), replaced::add);

            assertThatThrownBy(() -> nodes.prepare("p1", 20_001, Map.of(), Duration.ofSeconds(1)))
                    .isInstanceOf(NodeRefusedException.class);
            assertThatThrownBy(() -> nodes.forget("p2")).as("no agent: the forget fails, told all the same")
                    .isInstanceOf(RuntimeException.class);

            assertThat(replaced).extracting(Object::toString).containsExactly("p1", "p2");
        } finally {
            links.close();
        }
    }
}
