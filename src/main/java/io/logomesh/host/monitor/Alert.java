package io.logomesh.host.monitor;

import com.fasterxml.jackson.annotation.JsonIgnore;

import java.time.Instant;

/**
 * A limit check that fired.
 *
 * @param id           unique id (for acknowledging)
 * @param pluginId     the plugin
 * @param type         {@code memory}, {@code cpu}, {@code pids}, {@code oom} or {@code refusals} (audit refusal flood)
 * @param severity     {@code warning} or {@code critical}
 * @param message      one sentence for operators
 * @param current      the measured value (bytes, percent or tasks)
 * @param limit        the limit it was compared with
 * @param timestamp    when it fired
 * @param acknowledged whether an operator acknowledged it
 */
public record Alert(String id, String pluginId, String type, String severity, String message, double current,
                    double limit, Instant timestamp, boolean acknowledged) {

    public static final String WARNING = "warning";
    public static final String CRITICAL = "critical";

    public Alert acknowledge() {
        return new Alert(id, pluginId, type, severity, message, current, limit, timestamp, true);
    }

    @JsonIgnore
    public boolean isCritical() {
        return CRITICAL.equals(severity);
    }
}
