package io.logomesh.host.plugin;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Only the oldest action in flight is timed; the next one's clock starts when it ends. */
class ActionClockTest {

    private static final long LIMIT = 2_000_000_000L;

    /** A timer that runs nothing by itself: the test fires what was scheduled. */
    private static final class FakeTimer implements ActionClock.Timer {
        final List<Runnable> tasks = new ArrayList<>();
        final List<Long> delays = new ArrayList<>();
        int cancelled;

        @Override
        public Runnable schedule(Runnable task, long delayNanos) {
            tasks.add(task);
            delays.add(delayNanos);
            return () -> cancelled++;
        }
    }

    @Test
    void shouldTimeOutAnActionAloneWhenItsClockRunsOut() {
        FakeTimer timer = new FakeTimer();
        ActionClock clock = new ActionClock(timer);
        CompletableFuture<String> a = clock.dispatch(CompletableFuture::new, LIMIT);
        assertThat(timer.delays).containsExactly(LIMIT);
        timer.tasks.get(0).run();
        assertThatThrownBy(a::get).isInstanceOf(ExecutionException.class).hasCauseInstanceOf(TimeoutException.class);
        assertThat(clock.inFlight()).isZero();
    }

    @Test
    void shouldStartAQueuedActionsClockOnlyWhenTheOnesBeforeItHaveEnded() {
        FakeTimer timer = new FakeTimer();
        ActionClock clock = new ActionClock(timer);
        CompletableFuture<String> a = clock.dispatch(CompletableFuture::new, LIMIT);
        CompletableFuture<String> b = clock.dispatch(CompletableFuture::new, LIMIT);
        CompletableFuture<String> c = clock.dispatch(CompletableFuture::new, LIMIT);
        assertThat(timer.tasks).hasSize(1); // only a is timed
        c.complete("c"); // a later one ending starts no clock
        assertThat(timer.tasks).hasSize(1);
        a.complete("a");
        assertThat(timer.cancelled).isEqualTo(1); // a's timer is cancelled
        assertThat(timer.tasks).hasSize(2); // b's clock starts now
        timer.tasks.get(0).run(); // a's old timer, had it fired late: nothing happens
        assertThat(b).isNotDone();
        timer.tasks.get(1).run();
        assertThat(b).isCompletedExceptionally();
        assertThat(clock.inFlight()).isZero();
    }

    @Test
    void shouldTimeTheActionWhoseFrameLeftFirstWhenCallersRace() throws Exception {
        for (int round = 0; round < 50; round++) {
            FakeTimer timer = new FakeTimer();
            ActionClock clock = new ActionClock(timer);
            List<CompletableFuture<String>> sent = java.util.Collections.synchronizedList(new ArrayList<>());
            List<Thread> callers = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                callers.add(Thread.ofPlatform().start(() -> clock.dispatch(() -> {
                    CompletableFuture<String> f = new CompletableFuture<>();
                    sent.add(f); // the frame is queued here, in this order
                    return f;
                }, LIMIT)));
            }
            for (Thread t : callers) {
                t.join();
            }
            timer.tasks.get(0).run();
            assertThat(sent.get(0)).as("round %d", round).isCompletedExceptionally();
            assertThat(sent.subList(1, sent.size())).noneMatch(CompletableFuture::isDone);
        }
    }

    @Test
    void shouldNotFailAnActionThatEndedBeforeItsTimerFired() {
        FakeTimer timer = new FakeTimer();
        ActionClock clock = new ActionClock(timer);
        CompletableFuture<String> a = clock.dispatch(CompletableFuture::new, LIMIT);
        a.complete("done");
        timer.tasks.get(0).run();
        assertThat(a.join()).isEqualTo("done");
        CompletableFuture<String> failed = clock.dispatch(
                () -> CompletableFuture.failedFuture(new IllegalStateException()), LIMIT);
        assertThat(failed).isCompletedExceptionally();
        assertThat(clock.inFlight()).isZero();
        assertThat(timer.cancelled).isGreaterThanOrEqualTo(2); // each timer cancelled (once more is harmless)
    }
}
