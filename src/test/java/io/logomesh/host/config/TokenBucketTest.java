package io.logomesh.host.config;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TokenBucketTest {

    private static final long SECOND = 1_000_000_000L;

    @Test
    void shouldAllowTheBurstThenRefuseUntilRefilled() {
        TokenBucket bucket = new TokenBucket(10, 3, 0);
        assertThat(bucket.tryTake(0)).isTrue();
        assertThat(bucket.tryTake(0)).isTrue();
        assertThat(bucket.tryTake(0)).isTrue();
        assertThat(bucket.tryTake(0)).isFalse();
        assertThat(bucket.tryTake(SECOND / 10)).isTrue(); // 10/s: one token after 100 ms
        assertThat(bucket.tryTake(SECOND / 10)).isFalse();
    }

    @Test
    void shouldNeverHoldMoreThanItsCapacity() {
        TokenBucket bucket = new TokenBucket(1000, 2, 0);
        int taken = 0;
        for (int i = 0; i < 10; i++) {
            taken += bucket.tryTake(100 * SECOND) ? 1 : 0;
        }
        assertThat(taken).isEqualTo(2);
    }

    @Test
    void shouldIgnoreTimeGoingBackwards() {
        TokenBucket bucket = new TokenBucket(1, 1, SECOND);
        assertThat(bucket.tryTake(SECOND)).isTrue();
        assertThat(bucket.tryTake(0)).isFalse();
    }

    @Test
    void shouldRejectNonsenseSettings() {
        assertThatThrownBy(() -> new TokenBucket(0, 1, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TokenBucket(1, 0, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
