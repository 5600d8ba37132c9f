package io.logomesh.host.plugin;

import io.logomesh.host.container.ContainerPlacement;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** Which ended connections are a plugin that moved to another node, and which a run that ended. */
class ConnectionLossTest {

    private static final Duration WAIT = Duration.ofSeconds(15);

    private static Optional<ContainerPlacement> placed(boolean nodeLost, boolean ended, boolean live) {
        return Optional.of(new ContainerPlacement("node-a", nodeLost, ended, live, Optional.of("node-b")));
    }

    @Test
    void shouldFollowAPluginWhoseNodeWasLostWhileItsServiceStillMeansToRunATask() {
        assertThat(ConnectionLoss.of(WAIT, placed(true, false, true))).isEqualTo(ConnectionLoss.MOVED);
    }

    @Test
    void shouldEndARunWhoseContainerANodesEngineSawEndEvenWhenTheNodeIsGoneNow() {
        assertThat(ConnectionLoss.of(WAIT, placed(false, true, true))).isEqualTo(ConnectionLoss.ENDED);
        assertThat(ConnectionLoss.of(WAIT, placed(true, true, true))).isEqualTo(ConnectionLoss.ENDED);
    }

    @Test
    void shouldEndARunWhoseConnectionDroppedOnANodeThatIsStillThere() {
        // a runtime that hangs up (or dials its own socket again) on a live node does not dodge its restart policy
        assertThat(ConnectionLoss.of(WAIT, placed(false, false, true))).isEqualTo(ConnectionLoss.ENDED);
    }

    @Test
    void shouldEndARunWhoseServiceHasNoTaskLeftToRun() {
        assertThat(ConnectionLoss.of(WAIT, placed(true, false, false))).isEqualTo(ConnectionLoss.ENDED);
    }

    @Test
    void shouldEndEveryRunOnASingleHostAndWhenTheWaitIsOff() {
        assertThat(ConnectionLoss.of(WAIT, Optional.empty())).isEqualTo(ConnectionLoss.ENDED);
        assertThat(ConnectionLoss.of(Duration.ZERO, placed(true, false, true))).isEqualTo(ConnectionLoss.ENDED);
        assertThat(ConnectionLoss.of(Duration.ofSeconds(-1), placed(true, false, true)))
                .isEqualTo(ConnectionLoss.ENDED);
    }

    @Test
    void shouldGiveUpTheWaitOnlyOnceANodesEngineSawTheContainerEnd() {
        assertThat(ConnectionLoss.givesUp(placed(true, false, true))).isFalse();
        assertThat(ConnectionLoss.givesUp(placed(true, true, true))).isTrue();
        assertThat(ConnectionLoss.givesUp(Optional.empty())).isTrue();
    }

    @Test
    void shouldWaitOnWhileTheSwarmHasForAMomentNoTaskMeantToRun() {
        // the old task shut down, its replacement waiting out the restart delay
        assertThat(ConnectionLoss.givesUp(placed(true, false, false))).isFalse();
    }
}
