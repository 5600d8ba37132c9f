package io.logomesh.host.plugin.restart;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.time.Instant;
import java.util.List;

/**
 * What operators see of a plugin's restarts ({@code GET /plugins/{id}} → {@code restart}).
 *
 * @param policy        {@code on-failure} or {@code never}
 * @param count         restarts counted within the crash-loop window
 * @param maxRestarts   restarts allowed within the window
 * @param nextAttemptAt when the next restart is tried, else null
 * @param lastReasons   why the last runs ended, oldest first (at most {@link RestartTracker#REASONS_KEPT})
 * @param attempts      the last restarts, oldest first (at most {@link RestartTracker#ATTEMPTS_KEPT})
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record RestartStatus(String policy, int count, int maxRestarts, Instant nextAttemptAt, List<String> lastReasons,
                            List<RestartAttempt> attempts) {
}
