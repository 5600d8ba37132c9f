package io.logomesh.host.container;

/** Reads what a plugin's container wrote to stdout/stderr, bounded (see {@link LogTail}). */
public interface ContainerLogs {

    /**
     * The last {@code lines} lines of the plugin's container output (stdout and stderr
     * interleaved as the engine stored them), each line and the whole answer capped.
     * Empty when the plugin has no container (never ran, or its container was removed).
     *
     * @throws ContainerEngineException if the engine does not answer
     */
    String tail(String pluginId, int lines);
}
