package io.logomesh.host.plugin.restart;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BackoffTest {

    @Test
    void shouldDoubleFromTheInitialWaitUpToTheCap() {
        Backoff b = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(10));
        assertThat(b.delay(0)).isEqualTo(Duration.ofSeconds(1));
        assertThat(b.delay(1)).isEqualTo(Duration.ofSeconds(2));
        assertThat(b.delay(2)).isEqualTo(Duration.ofSeconds(4));
        assertThat(b.delay(3)).isEqualTo(Duration.ofSeconds(8));
        assertThat(b.delay(4)).isEqualTo(Duration.ofSeconds(10));
        assertThat(b.delay(1_000_000)).as("no overflow").isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void shouldRefuseANonPositiveStartOrACapBelowIt() {
        assertThatThrownBy(() -> new Backoff(Duration.ZERO, Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
