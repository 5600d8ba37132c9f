package io.logomesh.host.plugin;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LogRateLimiterTest {

    private static final long SECOND = 1_000_000_000L;

    @Test
    void shouldLetABurstThroughThenDropAndReportTheCount() {
        LogRateLimiter limiter = new LogRateLimiter(10, 20);
        long t = System.nanoTime();
        for (int i = 0; i < 20; i++) {
            assertThat(limiter.admit(t)).isZero();
        }
        for (int i = 0; i < 1000; i++) {
            assertThat(limiter.admit(t)).isEqualTo(-1);
        }
        assertThat(limiter.admit(t + SECOND / 10)).as("one token back after 100 ms; reports the drops").isEqualTo(1000);
        assertThat(limiter.admit(t + SECOND / 10)).isEqualTo(-1);
    }

    @Test
    void shouldNeverHoldMoreThanTheBurst() {
        LogRateLimiter limiter = new LogRateLimiter(10, 5);
        long t = System.nanoTime() + 3600 * SECOND;
        int passed = 0;
        for (int i = 0; i < 100; i++) {
            if (limiter.admit(t) >= 0) {
                passed++;
            }
        }
        assertThat(passed).isEqualTo(5);
    }
}
