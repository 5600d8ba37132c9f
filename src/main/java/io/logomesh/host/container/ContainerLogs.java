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

    /**
     * Like {@link #tail}, of the container with engine id {@code containerId}, each line starting with the
     * engine's RFC 3339 timestamp and a space (marker lines excepted). Empty when it is gone.
     *
     * @throws ContainerEngineException if the engine does not answer
     */
    String timedTail(String containerId, int lines);

    /**
     * Calls {@code line} with each line the plugin's container writes from now on (each cut to the line cap),
     * until the returned handle is run or the container ends. Nothing happens when it has no container.
     */
    Runnable follow(String pluginId, java.util.function.Consumer<String> line);
}
