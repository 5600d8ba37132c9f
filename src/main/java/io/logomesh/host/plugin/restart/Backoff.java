package io.logomesh.host.plugin.restart;

import java.time.Duration;

/**
 * Exponential back-off: the wait before restart number {@code n} (0-based within a streak) is
 * {@code initial × 2^n}, never more than {@code cap}.
 *
 * @param initial wait before the first restart of a streak
 * @param cap     longest wait
 */
public record Backoff(Duration initial, Duration cap) {

    public Backoff {
        if (initial.isNegative() || initial.isZero()) {
            throw new IllegalArgumentException("the initial back-off must be positive");
        }
        if (cap.compareTo(initial) < 0) {
            throw new IllegalArgumentException("the back-off cap must not be shorter than the initial back-off");
        }
    }

    /** The wait before restart {@code n} of a streak (0 = the first). */
    public Duration delay(int n) {
        if (n <= 0) {
            return initial;
        }
        long capMs = cap.toMillis();
        long ms = initial.toMillis();
        for (int i = 0; i < n && ms < capMs; i++) {
            ms *= 2;
        }
        return Duration.ofMillis(Math.min(ms, capMs));
    }
}
