package io.logomesh.host.plugin;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static io.logomesh.host.plugin.PluginState.ACTIVE;
import static io.logomesh.host.plugin.PluginState.FAILED;
import static io.logomesh.host.plugin.PluginState.INACTIVE;
import static io.logomesh.host.plugin.PluginState.INSTALLED;
import static io.logomesh.host.plugin.PluginState.RESTARTING;
import static io.logomesh.host.plugin.PluginState.STARTING;
import static io.logomesh.host.plugin.PluginState.STOPPING;
import static io.logomesh.host.plugin.PluginState.UNINSTALLED;
import static org.assertj.core.api.Assertions.assertThat;

class PluginStateTest {

    @Test
    void shouldFollowTheDrawnHappyPath() {
        assertThat(INSTALLED.canTransitionTo(STARTING)).isTrue();
        assertThat(STARTING.canTransitionTo(ACTIVE)).isTrue();
        assertThat(ACTIVE.canTransitionTo(STOPPING)).isTrue();
        assertThat(STOPPING.canTransitionTo(INACTIVE)).isTrue();
        assertThat(INACTIVE.canTransitionTo(STARTING)).isTrue();
        assertThat(INACTIVE.canTransitionTo(UNINSTALLED)).isTrue();
    }

    @Test
    void shouldRefuseSkippingSteps() {
        assertThat(INSTALLED.canTransitionTo(ACTIVE)).isFalse();
        assertThat(INSTALLED.canTransitionTo(INACTIVE)).isFalse();
        assertThat(ACTIVE.canTransitionTo(INACTIVE)).isFalse();
        assertThat(ACTIVE.canTransitionTo(UNINSTALLED)).isFalse();
        assertThat(STARTING.canTransitionTo(STOPPING)).isFalse();
        assertThat(STOPPING.canTransitionTo(ACTIVE)).isFalse();
    }

    @Test
    void shouldAllowRecyclingAnActivePluginAndRetryingAFailedOne() {
        assertThat(ACTIVE.canTransitionTo(STARTING)).isTrue();
        assertThat(ACTIVE.canTransitionTo(FAILED)).isTrue();
        assertThat(FAILED.canTransitionTo(STARTING)).isTrue();
        assertThat(FAILED.canTransitionTo(UNINSTALLED)).isTrue();
    }

    @ParameterizedTest
    @EnumSource(PluginState.class)
    void shouldNeverLeaveUninstalled(PluginState target) {
        assertThat(UNINSTALLED.canTransitionTo(target)).isFalse();
    }

    @Test
    void shouldTellRunningSettledAndActivatableStates() {
        assertThat(STARTING.isRunning()).isTrue();
        assertThat(INACTIVE.isRunning()).isFalse();
        assertThat(ACTIVE.isSettled()).isTrue();
        assertThat(STOPPING.isSettled()).isFalse();
        assertThat(FAILED.isActivatable()).isTrue();
        assertThat(ACTIVE.isActivatable()).isFalse();
    }

    @Test
    void shouldDrawTheSelfHealingLoop() {
        assertThat(ACTIVE.canTransitionTo(RESTARTING)).isTrue();
        assertThat(STARTING.canTransitionTo(RESTARTING)).isTrue();
        assertThat(RESTARTING.canTransitionTo(STARTING)).isTrue();
        assertThat(RESTARTING.canTransitionTo(FAILED)).isTrue();
        assertThat(RESTARTING.canTransitionTo(INACTIVE)).isTrue();
        assertThat(RESTARTING.canTransitionTo(ACTIVE)).as("only through STARTING").isFalse();
        assertThat(RESTARTING.isRunning()).isTrue();
        assertThat(RESTARTING.isSettled()).as("the record keeps ACTIVE: run it again after a host restart").isFalse();
        assertThat(RESTARTING.isActivatable()).isFalse();
    }
}
