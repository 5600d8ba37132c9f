package io.logomesh.host.health;

import jakarta.enterprise.context.ApplicationScoped;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The host's own loops report here that they still run: a loop {@link #register registers}
 * once with how long it may stay silent, then {@link #beat beats} every turn. Liveness is
 * DOWN while any registered loop is overdue.
 */
@ApplicationScoped
public class LoopHeartbeats {

    /** One loop's last beat and how long it may stay silent. */
    public record Loop(String name, Duration maxSilence, Instant lastBeat) {

        /** Whether it has been silent for longer than allowed at {@code now}. */
        public boolean overdue(Instant now) {
            return Duration.between(lastBeat, now).compareTo(maxSilence) > 0;
        }
    }

    private final Map<String, Loop> loops = new ConcurrentHashMap<>();
    private final Clock clock;

    public LoopHeartbeats() {
        this(Clock.systemUTC());
    }

    LoopHeartbeats(Clock clock) {
        this.clock = clock;
    }

    /** Starts watching {@code name}; it counts as having beaten now. */
    public void register(String name, Duration maxSilence) {
        loops.put(name, new Loop(name, maxSilence, clock.instant()));
    }

    /** {@code name} completed a turn. */
    public void beat(String name) {
        loops.computeIfPresent(name, (n, loop) -> new Loop(n, loop.maxSilence(), clock.instant()));
    }

    /** Every watched loop, by name. */
    public Map<String, Loop> loops() {
        return new TreeMap<>(loops);
    }

    /** The current instant of this registry's clock. */
    public Instant now() {
        return clock.instant();
    }
}
