package io.logomesh.host.plugin;

import java.time.Instant;

/**
 * One line of a plugin's own log: a {@code ctx.log(level, ...)} call, escaped to one line and capped.
 *
 * @param time    when the host received it
 * @param level   debug, info, warn or error
 * @param message the text, one escaped line
 */
public record PluginLogLine(Instant time, String level, String message) {

    /** As the logs answer prints it: {@code <ISO time> [<level>] <message>}. */
    public String text() {
        return time + " [" + level + "] " + message;
    }
}
