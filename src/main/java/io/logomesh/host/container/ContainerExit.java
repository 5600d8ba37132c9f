package io.logomesh.host.container;

/**
 * How a container ended, as the engine reports it.
 *
 * @param running   still running (then the other fields mean nothing)
 * @param exitCode  the main process' exit status
 * @param oomKilled whether the kernel's OOM killer ended it
 */
public record ContainerExit(boolean running, long exitCode, boolean oomKilled) {

    /** The failure reason shown to users: {@code oom} or {@code exited:<code>}. */
    public String reason() {
        if (oomKilled) {
            return "oom";
        }
        return running ? "running" : "exited:" + exitCode;
    }
}
