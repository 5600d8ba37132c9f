package io.logomesh.host.action;

import io.logomesh.host.plugin.PluginBusyException;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Admission control of one plugin, on a manual clock and timer: slots, the bounded queue, deadlines. */
class AdmissionQueueTest {

    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final long WAIT = 1000 * MS;

    private long now;
    private final List<Scheduled> scheduled = new ArrayList<>();

    private record Scheduled(Runnable task, long at, boolean[] cancelled) {
    }

    private AdmissionQueue queue(int running, int waiting) {
        return new AdmissionQueue(running, waiting, 1, (task, delay) -> {
            boolean[] cancelled = {false};
            scheduled.add(new Scheduled(task, now + delay, cancelled));
            return () -> cancelled[0] = true;
        }, () -> now);
    }

    /** Moves the clock and runs the timers that are due and not cancelled. */
    private void advance(long nanos) {
        now += nanos;
        for (Scheduled s : List.copyOf(scheduled)) {
            if (s.at() <= now && !s.cancelled()[0]) {
                scheduled.remove(s);
                s.task().run();
            }
        }
    }

    @Test
    void shouldGrantSlotsAtOnceUpToMaxRunning() {
        AdmissionQueue q = queue(2, 4);

        assertThat(q.acquire(WAIT)).isCompleted();
        assertThat(q.acquire(WAIT)).isCompleted();
        CompletableFuture<AdmissionQueue.Slot> third = q.acquire(WAIT);

        assertThat(third).isNotDone();
        assertThat(q.running()).isEqualTo(2);
        assertThat(q.waiting()).isEqualTo(1);
    }

    @Test
    void shouldRefuseAtOnceAsBusyWhenTheQueueIsFull() {
        AdmissionQueue q = queue(1, 2);
        q.acquire(WAIT);
        q.acquire(WAIT);
        q.acquire(WAIT);

        assertThatThrownBy(() -> q.acquire(WAIT)).isInstanceOf(PluginBusyException.class)
                .hasMessageContaining("admission queue is full")
                .satisfies(e -> assertThat(((PluginBusyException) e).retryAfterSeconds()).isEqualTo(1));
        assertThat(q.waiting()).isEqualTo(2);
    }

    @Test
    void shouldHandReleasedSlotsToWaitersInArrivalOrderAndReportTheirWait() {
        AdmissionQueue q = queue(1, 4);
        AdmissionQueue.Slot first = q.acquire(WAIT).join();
        CompletableFuture<AdmissionQueue.Slot> second = q.acquire(WAIT);
        advance(10 * MS);
        CompletableFuture<AdmissionQueue.Slot> third = q.acquire(WAIT);

        advance(5 * MS);
        first.release();

        assertThat(second).isCompleted();
        assertThat(second.join().waitedNanos()).isEqualTo(15 * MS);
        assertThat(third).isNotDone();
        assertThat(q.running()).isEqualTo(1);
        second.join().release();
        assertThat(third).isCompleted();
        third.join().release();
        assertThat(q.running()).isZero();
        assertThat(q.waiting()).isZero();
    }

    @Test
    void shouldCountAReleaseOnlyOnce() {
        AdmissionQueue q = queue(1, 1);
        AdmissionQueue.Slot slot = q.acquire(WAIT).join();

        slot.release();
        slot.release();

        assertThat(q.running()).isZero();
        assertThat(q.acquire(WAIT)).isCompleted();
        assertThat(q.running()).isEqualTo(1);
    }

    @Test
    void shouldRefuseAWaiterThatCouldNotStartWithinItsDeadlineAndNeverGiveItASlotLater() {
        AdmissionQueue q = queue(1, 4);
        AdmissionQueue.Slot running = q.acquire(WAIT).join();
        CompletableFuture<AdmissionQueue.Slot> waiter = q.acquire(WAIT);

        advance(WAIT);

        assertThat(waiter).isCompletedExceptionally();
        assertThatThrownBy(waiter::get).isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(PluginBusyException.class).hasMessageContaining("could not start within 1000 ms");
        assertThat(q.waiting()).isZero();
        running.release();
        assertThat(q.running()).isZero();
    }

    @Test
    void shouldCancelTheDeadlineOfAWaiterThatGotASlot() {
        AdmissionQueue q = queue(1, 4);
        AdmissionQueue.Slot running = q.acquire(WAIT).join();
        CompletableFuture<AdmissionQueue.Slot> waiter = q.acquire(WAIT);

        running.release();
        advance(2 * WAIT);

        assertThat(waiter).isCompleted();
        assertThat(waiter.isCompletedExceptionally()).isFalse();
        assertThat(q.running()).isEqualTo(1);
    }

    @Test
    void shouldRefuseAtOnceACallWhoseEstimatedWaitExceedsItsDeadline() {
        AdmissionQueue q = queue(1, 100);
        AdmissionQueue.Slot slot = q.acquire(WAIT).join();
        advance(400 * MS);
        slot.release(); // slots are held about 400 ms
        AdmissionQueue.Slot busy = q.acquire(WAIT).join();
        q.acquire(WAIT); // waits about 400 ms
        q.acquire(WAIT); // about 800 ms

        assertThatThrownBy(() -> q.acquire(WAIT)).isInstanceOf(PluginBusyException.class)
                .hasMessageContaining("could not start within 1000 ms");
        assertThat(q.waiting()).isEqualTo(2);
        busy.release();
    }

    @Test
    void shouldNotQueueAnythingWhenMaxWaitingIsZero() {
        AdmissionQueue q = queue(1, 0);
        q.acquire(WAIT);

        assertThatThrownBy(() -> q.acquire(WAIT)).isInstanceOf(PluginBusyException.class);
    }
}
