package io.logomesh.host.monitor;

/**
 * What a limit check found, before it becomes an {@link Alert}.
 *
 * @param type     {@code memory}, {@code cpu}, {@code pids} or {@code oom}
 * @param severity {@code warning} or {@code critical}
 * @param message  one sentence
 * @param current  measured value
 * @param limit    the limit
 * @param reason   for a critical condition, the failure reason the plugin is ended with (e.g. {@code memory_limit})
 */
public record AlertCondition(String type, String severity, String message, double current, double limit,
                             String reason) {

    /** Identifies the condition while it lasts (one alert per episode). */
    String key() {
        return type + ":" + severity;
    }
}
