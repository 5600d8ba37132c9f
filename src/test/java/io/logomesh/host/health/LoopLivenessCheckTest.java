package io.logomesh.host.health;

import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;

/** Liveness follows the registered loops' beats; a silent loop is named. */
class LoopLivenessCheckTest {

    /** A clock the test moves by hand. */
    static final class HandClock extends Clock {
        Instant now = Instant.parse("2026-11-25T10:00:00Z");

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private final HandClock clock = new HandClock();
    private final LoopHeartbeats heartbeats = new LoopHeartbeats(clock);
    private final LoopLivenessCheck check = new LoopLivenessCheck(heartbeats);

    @Test
    void shouldBeUpWhileEveryLoopBeats() {
        heartbeats.register("poller", Duration.ofSeconds(10));
        clock.now = clock.now.plusSeconds(8);
        heartbeats.beat("poller");
        clock.now = clock.now.plusSeconds(8);

        HealthCheckResponse response = check.call();

        assertThat(response.getStatus()).isEqualTo(HealthCheckResponse.Status.UP);
        assertThat(response.getData().orElseThrow()).containsEntry("poller", "last beat 8000 ms ago");
    }

    @Test
    void shouldGoDownAndNameTheLoopThatStalled() {
        heartbeats.register("poller", Duration.ofSeconds(10));
        heartbeats.register("heartbeat", Duration.ofSeconds(10));
        clock.now = clock.now.plusSeconds(11);
        heartbeats.beat("heartbeat");

        HealthCheckResponse response = check.call();

        assertThat(response.getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);
        assertThat(response.getData().orElseThrow().get("message").toString())
                .isEqualTo("host loop(s) stalled: poller silent for 11000 ms (allowed 10000)");
    }

    @Test
    void shouldIgnoreBeatsOfLoopsNeverRegistered() {
        heartbeats.beat("unknown");

        assertThat(heartbeats.loops()).isEmpty();
        assertThat(check.call().getStatus()).isEqualTo(HealthCheckResponse.Status.UP);
    }
}
