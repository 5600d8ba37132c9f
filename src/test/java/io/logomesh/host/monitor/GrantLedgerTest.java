package io.logomesh.host.monitor;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GrantLedgerTest {

    /** No per-plugin cap (100 %): these cases are about the ceiling and the budget. */
    private final GrantLedger ledger = new GrantLedger(256, 100, 100);

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

    @Test
    void shouldRefuseOnePluginMoreThanItsShareOfTheBudget() {
        GrantLedger capped = new GrantLedger(1024, 200, 50);
        capped.reserve("a", "memory", 300, 2000);
        assertThatThrownBy(() -> capped.reserve("a", "memory", 300, 2000))
                .isInstanceOf(GrantDeniedException.class)
                .hasMessageContaining("per-plugin share of the host's memory budget")
                .hasMessageContaining("holds 300").hasMessageContaining("at most 512 of 1024 MiB")
                .hasMessageContaining("max-per-plugin-percent 50");
        assertThat(capped.held("a", "memory")).isEqualTo(300);
        capped.reserve("a", "memory", 212, 2000); // up to the share exactly
        capped.reserve("b", "memory", 512, 2000); // another plugin has a share of its own
        assertThat(capped.used("memory")).isEqualTo(1024);
        assertThatThrownBy(() -> capped.reserve("b", "cpu", 101, 2000))
                .isInstanceOf(GrantDeniedException.class).hasMessageContaining("at most 100 of 200 % CPU");
    }

    @Test
    void shouldRefuseAShareOutsideZeroToOneHundredPercent() {
        assertThatThrownBy(() -> new GrantLedger(1024, 200, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("max-per-plugin-percent");
        assertThatThrownBy(() -> new GrantLedger(1024, 200, 150)).isInstanceOf(IllegalArgumentException.class);
    }
}
