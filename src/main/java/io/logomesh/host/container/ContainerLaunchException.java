package io.logomesh.host.container;

import io.logomesh.host.PluginHostException;

/** The engine could not create or start a plugin container (the system's fault, not the plugin's). */
public class ContainerLaunchException extends PluginHostException {

    public ContainerLaunchException(String message, Throwable cause) {
        super(message, cause);
    }

    public ContainerLaunchException(String message) {
        super(message);
    }

    @Override
    public String code() {
        return "container_launch_failed";
    }
}
