package io.logomesh.host.plugin.restart;

import com.fasterxml.jackson.databind.JsonNode;
import io.logomesh.host.config.HostConfig;

import java.time.Duration;
import java.util.Locale;

/**
 * How one plugin is restarted: its mode (the manifest's {@code restartPolicy}, else the host's
 * {@code logomesh.restart.policy}) and the host's numbers (back-off, crash-loop budget). The numbers are
 * the host's alone: an untrusted plugin cannot give itself a larger restart budget.
 *
 * @param mode         on-failure or never
 * @param backoff      wait before each restart of a streak
 * @param maxRestarts  restarts allowed within {@code window}
 * @param window       the crash-loop window
 * @param healthyAfter an ACTIVE run this long resets the back-off
 */
public record RestartPolicy(Mode mode, Backoff backoff, int maxRestarts, Duration window, Duration healthyAfter) {

    /** Never restarts (today's behaviour): used where no host settings exist. */
    public static final RestartPolicy NEVER = new RestartPolicy(Mode.NEVER, new Backoff(Duration.ofSeconds(1),
            Duration.ofSeconds(1)), 0, Duration.ofMinutes(1), Duration.ofMinutes(1));

    /** Whether a failure is followed by a restart. */
    public enum Mode {
        /** Restart after a crash, exit, OOM kill, lost connection or lost engine. */
        ON_FAILURE,
        /** Stay FAILED. */
        NEVER;

        /** {@code on-failure} or {@code never}. */
        public String wireName() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        /** The mode for a wire name; refuses anything else. */
        public static Mode fromWireName(String name) {
            for (Mode m : values()) {
                if (m.wireName().equals(name)) {
                    return m;
                }
            }
            throw new IllegalArgumentException("restart policy must be on-failure or never, not '" + name + "'");
        }
    }

    /** The policy of a plugin with manifest {@code raw} under the host's settings. */
    public static RestartPolicy of(JsonNode raw, HostConfig.Restart host) {
        JsonNode declared = raw == null ? null : raw.get("restartPolicy");
        Mode mode = Mode.fromWireName(declared != null && declared.isTextual() ? declared.asText() : host.policy());
        return new RestartPolicy(mode, new Backoff(host.initialBackoff(), host.maxBackoff()), host.maxRestarts(),
                host.window(), host.healthyAfter());
    }

    public boolean restarts() {
        return mode == Mode.ON_FAILURE;
    }
}
