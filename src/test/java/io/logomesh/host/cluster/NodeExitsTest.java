package io.logomesh.host.cluster;

import io.logomesh.host.container.ContainerExit;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class NodeExitsTest {

    private final NodeExits exits = new NodeExits();

    @Test
    void shouldSayOomWhenTheKillerStruckTheContainerBeforeItDied() {
        exits.oom("c1");
        exits.died("svc1", "c1", 137);

        assertThat(exits.of("svc1")).contains(new ContainerExit(false, 137, true));
        assertThat(exits.of("svc1").orElseThrow().reason()).isEqualTo("oom");
    }

    @Test
    void shouldSayTheExitCodeOfAContainerThatDiedWithoutAnOomKill() {
        exits.oom("c-other");
        exits.died("svc1", "c1", 3);

        assertThat(exits.of("svc1").orElseThrow().reason()).isEqualTo("exited:3");
        assertThat(exits.of("svc2")).isEmpty();
    }

    @Test
    void shouldRememberABoundedNumberOfServices() {
        for (int i = 0; i < NodeExits.MAX + 10; i++) {
            exits.died("svc" + i, "c" + i, 1);
        }
        assertThat(exits.of("svc0")).isPresent();
        assertThat(exits.of("svc" + (NodeExits.MAX + 5))).as("past the bound, within the keeping time").isEmpty();
    }
}
