package io.logomesh.host.ipc.relay;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AgentIdentityTest {

    private static final String NODE = "x2p7kq1hn3v0a9zs8d4m6c5bw";
    private static final String OTHER = "q8w7e6r5t4y3u2i1o0p9a8s7d";

    @Test
    void shouldNameTheNodeInTheCommonNameAndReadItBack() {
        String cn = AgentIdentity.commonName(NODE);
        assertThat(cn).isEqualTo("node-" + NODE).matches(ClusterCa.COMMON_NAME);
        assertThat(AgentIdentity.nodeOf(cn)).contains(NODE);
    }

    @Test
    void shouldLetACertificateSpeakForItsOwnNodeOnly() {
        String cn = AgentIdentity.commonName(NODE);
        assertThat(AgentIdentity.speaksFor(cn, NODE)).isTrue();
        assertThat(AgentIdentity.speaksFor(cn, OTHER)).isFalse();
        assertThat(AgentIdentity.speaksFor(cn, null)).isFalse();
        assertThat(AgentIdentity.speaksFor("logomesh-node-agent", NODE)).as("the old shared name").isFalse();
        assertThat(AgentIdentity.speaksFor("node-" + NODE + "x", NODE)).isFalse();
        assertThat(AgentIdentity.speaksFor("node-", "")).isFalse();
        assertThat(AgentIdentity.speaksFor(null, NODE)).isFalse();
    }

    @Test
    void shouldRefuseToNameWhatIsNotASwarmNodeId() {
        for (String bad : new String[] {"", "Upper", "a.b", "a-b", "x".repeat(41), null}) {
            assertThatThrownBy(() -> AgentIdentity.commonName(bad)).isInstanceOf(IllegalArgumentException.class);
        }
        assertThat(AgentIdentity.nodeOf("node-A")).isEmpty();
    }
}
