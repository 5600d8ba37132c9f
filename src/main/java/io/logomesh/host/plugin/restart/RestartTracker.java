package io.logomesh.host.plugin.restart;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * The restart memory of one plugin: decides, for each failure, whether to restart and after which back-off,
 * or to give up (a crash loop: {@link RestartPolicy#maxRestarts()} restarts already within
 * {@link RestartPolicy#window()}). Keeps the last attempts and reasons, bounded. Not thread-safe: the
 * plugin's handle calls it under its own lock.
 */
public final class RestartTracker {

    /** Attempts kept for {@link RestartStatus#attempts()}. */
    public static final int ATTEMPTS_KEPT = 20;
    /** Reasons kept for {@link RestartStatus#lastReasons()} and a crash loop's report. */
    public static final int REASONS_KEPT = 5;
    /**
     * The longest wait between two starts of a plugin waiting for something outside it ({@link #onWait}: the node
     * holding its data is away), whatever the policy's cap: it comes back at most this long after the node does.
     */
    public static final Duration WAIT_CAP = Duration.ofSeconds(30);

    private final RestartPolicy policy;
    private final Deque<Instant> restartTimes = new ArrayDeque<>();
    private final Deque<RestartAttempt> attempts = new ArrayDeque<>();
    private final Deque<String> reasons = new ArrayDeque<>();
    private int streak;
    /** Waits in a row ({@link #onWait}): they lengthen their own back-off, never the crash streak. */
    private int waits;
    private int numbered;

    /** What to do after a failure. */
    public sealed interface Decision permits Restart, GiveUp {
    }

    /** Restart after {@code delay}, at {@code at}. */
    public record Restart(Duration delay, Instant at) implements Decision {
    }

    /** A crash loop: stay FAILED; {@code reasons} are why the last runs ended, oldest first. */
    public record GiveUp(int restarts, Duration window, List<String> reasons) implements Decision {
    }

    public RestartTracker(RestartPolicy policy) {
        this.policy = policy;
    }

    public RestartPolicy policy() {
        return policy;
    }

    /**
     * A run ended at {@code now} for {@code reason}.
     *
     * @param activeSince when that run became ACTIVE, or null when it never did (a failed start)
     * @param counted     false for a failure that is not the plugin's (the engine was away, a dependency is
     *                    not ACTIVE): it neither counts towards a crash loop nor lengthens the back-off
     */
    public Decision onFailure(Instant now, String reason, Instant activeSince, boolean counted) {
        waits = 0;
        remember(reason);
        if (activeSince != null && Duration.between(activeSince, now).compareTo(policy.healthyAfter()) >= 0) {
            streak = 0;
        }
        Instant since = now.minus(policy.window());
        while (!restartTimes.isEmpty() && restartTimes.peekFirst().isBefore(since)) {
            restartTimes.removeFirst();
        }
        if (counted && restartTimes.size() >= policy.maxRestarts()) {
            return new GiveUp(restartTimes.size(), policy.window(), List.copyOf(reasons));
        }
        Duration delay = policy.backoff().delay(streak);
        if (counted) {
            restartTimes.addLast(now);
            streak++;
        }
        add(new RestartAttempt(++numbered, reason, now, delay.toMillis(), null, null));
        return new Restart(delay, now.plus(delay));
    }

    /**
     * A start failed at {@code now} because what the plugin needs outside it is away (cluster mode: the node that
     * holds its {@code /data}): not the plugin's failure, so never a crash loop, and the plugin waits with a
     * back-off of its own (the policy's, doubling from its first wait, at most {@link #WAIT_CAP}), so a node away
     * for hours costs a try every half minute, not every second. Never gives up.
     */
    public Restart onWait(Instant now, String reason) {
        remember(reason);
        Duration cap = policy.backoff().cap().compareTo(WAIT_CAP) < 0 ? policy.backoff().cap() : WAIT_CAP;
        Duration delay = policy.backoff().delay(waits);
        if (delay.compareTo(cap) > 0) {
            delay = cap;
        } else {
            waits++;
        }
        add(new RestartAttempt(++numbered, reason, now, delay.toMillis(), null, null));
        return new Restart(delay, now.plus(delay));
    }

    /** The pending restart began starting the plugin at {@code at}. */
    public void started(Instant at) {
        RestartAttempt last = attempts.pollLast();
        if (last != null) {
            attempts.addLast(last.started(at));
        }
    }

    /** The last restart ended: {@code started}, {@code failed:<reason>} or {@code cancelled}. */
    public void ended(String outcome) {
        if ("started".equals(outcome)) {
            waits = 0;
        }
        RestartAttempt last = attempts.pollLast();
        if (last != null) {
            attempts.addLast(last.outcome() == null ? last.ended(outcome) : last);
        }
    }

    /** An operator started or stopped the plugin: restarts are counted afresh. */
    public void reset() {
        restartTimes.clear();
        streak = 0;
        waits = 0;
    }

    /** Restarts counted within the window as of {@code now}. */
    public int count(Instant now) {
        Instant since = now.minus(policy.window());
        return (int) restartTimes.stream().filter(t -> !t.isBefore(since)).count();
    }

    public RestartStatus status(Instant now, Instant nextAttemptAt) {
        return new RestartStatus(policy.mode().wireName(), count(now), policy.maxRestarts(), nextAttemptAt,
                List.copyOf(reasons), new ArrayList<>(attempts));
    }

    private void remember(String reason) {
        reasons.addLast(reason);
        while (reasons.size() > REASONS_KEPT) {
            reasons.removeFirst();
        }
    }

    private void add(RestartAttempt attempt) {
        attempts.addLast(attempt);
        while (attempts.size() > ATTEMPTS_KEPT) {
            attempts.removeFirst();
        }
    }
}
