package io.logomesh.host.plugin.restart;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.time.Instant;

/**
 * One restart: why the plugin went down, when, how long the host waited, when it tried and how that went.
 *
 * @param number    1-based, counted over the plugin's life in this host run
 * @param reason    why the run before it ended (e.g. {@code oom}, {@code exited:1}, {@code engine_unavailable})
 * @param failedAt  when that run ended
 * @param delayMs   the back-off waited before trying
 * @param startedAt when the start began, else null (still waiting)
 * @param outcome   {@code started}, {@code failed:<reason>}, {@code cancelled}, or null while pending
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record RestartAttempt(int number, String reason, Instant failedAt, long delayMs, Instant startedAt,
                             String outcome) {

    RestartAttempt started(Instant at) {
        return new RestartAttempt(number, reason, failedAt, delayMs, at, outcome);
    }

    RestartAttempt ended(String how) {
        return new RestartAttempt(number, reason, failedAt, delayMs, startedAt, how);
    }
}
