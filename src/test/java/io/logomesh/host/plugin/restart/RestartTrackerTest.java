package io.logomesh.host.plugin.restart;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class RestartTrackerTest {

    private static final Instant T0 = Instant.parse("2026-12-01T00:00:00Z");

    private static RestartTracker tracker(int maxRestarts) {
        return new RestartTracker(new RestartPolicy(RestartPolicy.Mode.ON_FAILURE,
                new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(30)), maxRestarts, Duration.ofMinutes(10),
                Duration.ofMinutes(5)));
    }

    private static Duration delayOf(RestartTracker.Decision d) {
        assertThat(d).isInstanceOf(RestartTracker.Restart.class);
        return ((RestartTracker.Restart) d).delay();
    }

    @Test
    void shouldBackOffLongerAfterEachFailureAndGiveUpAfterTheBudget() {
        RestartTracker t = tracker(3);
        assertThat(delayOf(t.onFailure(T0, "exited:1", null, true))).isEqualTo(Duration.ofSeconds(1));
        assertThat(delayOf(t.onFailure(T0.plusSeconds(2), "exited:1", null, true))).isEqualTo(Duration.ofSeconds(2));
        assertThat(delayOf(t.onFailure(T0.plusSeconds(5), "oom", null, true))).isEqualTo(Duration.ofSeconds(4));

        RestartTracker.Decision last = t.onFailure(T0.plusSeconds(10), "exited:2", null, true);

        assertThat(last).isInstanceOf(RestartTracker.GiveUp.class);
        RestartTracker.GiveUp g = (RestartTracker.GiveUp) last;
        assertThat(g.restarts()).isEqualTo(3);
        assertThat(g.reasons()).containsExactly("exited:1", "exited:1", "oom", "exited:2");
        assertThat(t.status(T0.plusSeconds(10), null).attempts()).extracting(RestartAttempt::delayMs)
                .containsExactly(1000L, 2000L, 4000L);
    }

    @Test
    void shouldForgetRestartsOutsideTheWindow() {
        RestartTracker t = tracker(2);
        t.onFailure(T0, "exited:1", null, true);
        t.onFailure(T0.plusSeconds(1), "exited:1", null, true);

        RestartTracker.Decision later = t.onFailure(T0.plus(Duration.ofMinutes(11)), "exited:1", null, true);

        assertThat(later).as("both earlier restarts left the window").isInstanceOf(RestartTracker.Restart.class);
        assertThat(t.count(T0.plus(Duration.ofMinutes(11)))).isEqualTo(1);
    }

    @Test
    void shouldStartTheBackOffAgainAfterAHealthyRun() {
        RestartTracker t = tracker(10);
        t.onFailure(T0, "oom", null, true);
        t.onFailure(T0.plusSeconds(2), "oom", null, true);
        Instant activeAt = T0.plusSeconds(10);

        Duration afterShortRun = delayOf(t.onFailure(activeAt.plusSeconds(30), "oom", activeAt, true));
        Instant again = activeAt.plusSeconds(40);
        Duration afterLongRun = delayOf(t.onFailure(again.plus(Duration.ofMinutes(6)), "oom", again, true));

        assertThat(afterShortRun).isEqualTo(Duration.ofSeconds(4));
        assertThat(afterLongRun).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void shouldNotCountFailuresThatAreNotThePlugins() {
        RestartTracker t = tracker(1);
        t.onFailure(T0, "exited:137", null, true);
        for (int i = 1; i <= 5; i++) {
            assertThat(delayOf(t.onFailure(T0.plusSeconds(i), "engine_unavailable", null, false)))
                    .as("the engine is away: no crash loop, no longer back-off").isEqualTo(Duration.ofSeconds(2));
        }
        assertThat(t.onFailure(T0.plusSeconds(10), "exited:1", null, true)).isInstanceOf(RestartTracker.GiveUp.class);
    }

    @Test
    void shouldRecordWhenEachAttemptStartedAndHowItWentAndKeepOnlyTheLastOnes() {
        RestartTracker t = tracker(1000);
        t.onFailure(T0, "oom", null, true);
        t.started(T0.plusSeconds(1));
        t.ended("started");
        assertThat(t.status(T0, null).attempts()).singleElement().satisfies(a -> {
            assertThat(a.number()).isEqualTo(1);
            assertThat(a.reason()).isEqualTo("oom");
            assertThat(a.startedAt()).isEqualTo(T0.plusSeconds(1));
            assertThat(a.outcome()).isEqualTo("started");
        });
        for (int i = 0; i < 50; i++) {
            t.onFailure(T0.plusSeconds(i), "r" + i, null, true);
        }
        RestartStatus s = t.status(T0.plusSeconds(60), T0.plusSeconds(61));
        assertThat(s.attempts()).hasSize(RestartTracker.ATTEMPTS_KEPT);
        assertThat(s.attempts().getLast().reason()).isEqualTo("r49");
        assertThat(s.lastReasons()).hasSize(RestartTracker.REASONS_KEPT).last().isEqualTo("r49");
        assertThat(s.nextAttemptAt()).isEqualTo(T0.plusSeconds(61));
        assertThat(s.policy()).isEqualTo("on-failure");
    }

    @Test
    void shouldCountAfreshAfterAReset() {
        RestartTracker t = tracker(1);
        t.onFailure(T0, "oom", null, true);
        t.reset();
        assertThat(delayOf(t.onFailure(T0.plusSeconds(1), "oom", null, true))).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void shouldLetAPluginWaitForItsNodeWithoutCountingItOrGivingUpAndAtMostHalfAMinuteBetweenTries() {
        RestartTracker t = new RestartTracker(new RestartPolicy(RestartPolicy.Mode.ON_FAILURE,
                new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(5)), 2, Duration.ofMinutes(10),
                Duration.ofMinutes(5)));
        Instant now = T0;
        Duration last = Duration.ZERO;
        for (int i = 0; i < 20; i++) {
            last = t.onWait(now, "node_unavailable").delay();
            now = now.plus(last);
        }

        assertThat(last).as("doubling, capped at the wait's cap, not the policy's 5 min")
                .isEqualTo(RestartTracker.WAIT_CAP);
        assertThat(t.count(now)).as("no crash budget spent").isZero();
        assertThat(t.status(now, null).lastReasons()).containsOnly("node_unavailable");
        assertThat(delayOf(t.onFailure(now, "exited:1", null, true))).as("a crash after it starts its own streak")
                .isEqualTo(Duration.ofSeconds(1));
        assertThat(t.onWait(now, "node_unavailable").delay()).as("a new wait starts from the first back-off")
                .isEqualTo(Duration.ofSeconds(1));
    }
}
