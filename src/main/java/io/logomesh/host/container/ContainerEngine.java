package io.logomesh.host.container;

/** The container engine as a whole (not one container): its identity and health. */
public interface ContainerEngine {

    /** Asks the engine about itself; never throws: an engine that does not answer is reported unavailable. */
    EngineInfo describe();

    /** Where the host reaches the engine (e.g. {@code unix:///var/run/docker.sock}). */
    String address();
}
