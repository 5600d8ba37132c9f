package io.logomesh.host.monitor;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GrantLedgerTest {

    private final GrantLedger ledger = new GrantLedger(256, 100);

    @Test
    void shouldLendWithinTheCeilingAndTheBudget() {
        Grant g = ledger.reserve("a", "memory", 128, 192);
        assertThat(g.amount()).isEqualTo(128);
        assertThat(ledger.held("a", "memory")).isEqualTo(128);
        assertThat(ledger.used("memory")).isEqualTo(128);
        assertThat(ledger.used("cpu")).isZero();
    }

    @Test
    void shouldRefuseOverThePluginsCeiling() {
        ledger.reserve("a", "memory", 100, 150);
        assertThatThrownBy(() -> ledger.reserve("a", "memory", 60, 150))
                .isInstanceOf(GrantDeniedException.class).hasMessageContaining("ceiling");
    }

    @Test
    void shouldRefuseWhenTheBudgetIsSpentAndNeverOverCommit() {
        ledger.reserve("a", "memory", 200, 1000);
        assertThatThrownBy(() -> ledger.reserve("b", "memory", 100, 1000))
                .isInstanceOf(GrantDeniedException.class).hasMessageContaining("budget is spent")
                .hasMessageContaining("56 of 256");
        assertThat(ledger.used("memory")).isEqualTo(200);
        ledger.reserve("b", "memory", 56, 1000);
        assertThat(ledger.used("memory")).isEqualTo(256);
    }

    @Test
    void shouldReturnReleasedGrantsToTheBudget() {
        Grant g = ledger.reserve("a", "cpu", 100, 100);
        assertThatThrownBy(() -> ledger.reserve("b", "cpu", 1, 100)).isInstanceOf(GrantDeniedException.class);
        assertThat(ledger.release(g.grantId())).contains(g);
        assertThat(ledger.release(g.grantId())).isEmpty();
        ledger.reserve("b", "cpu", 100, 100);
    }

    @Test
    void shouldTakeBackEveryGrantOfAPlugin() {
        ledger.reserve("a", "memory", 10, 100);
        ledger.reserve("a", "cpu", 10, 100);
        ledger.reserve("b", "memory", 10, 100);
        assertThat(ledger.releaseAll("a")).hasSize(2);
        assertThat(ledger.of("a")).isEmpty();
        assertThat(ledger.of("b")).hasSize(1);
    }

    @Test
    void shouldRefuseNonsense() {
        assertThatThrownBy(() -> ledger.reserve("a", "memory", 0, 100)).isInstanceOf(GrantDeniedException.class);
        assertThatThrownBy(() -> ledger.reserve("a", "memory", -5, 100)).isInstanceOf(GrantDeniedException.class);
        assertThatThrownBy(() -> ledger.reserve("a", "memory", Double.NaN, 100)).isInstanceOf(GrantDeniedException.class);
        assertThatThrownBy(() -> ledger.reserve("a", "disk", 1, 100)).isInstanceOf(GrantDeniedException.class)
                .hasMessageContaining("unknown resource type");
    }
}
