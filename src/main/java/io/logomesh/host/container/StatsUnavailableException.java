package io.logomesh.host.container;

import io.logomesh.host.PluginHostException;

/** The counters of a container could not be read (it ended, or the engine does not answer). */
public class StatsUnavailableException extends PluginHostException {

    public StatsUnavailableException(String message) {
        super(message);
    }

    public StatsUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public String code() {
        return "stats_unavailable";
    }
}
