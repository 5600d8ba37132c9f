package io.logomesh.host.plugin;

import io.logomesh.host.config.HostConfig;
import io.logomesh.host.container.ContainerEngine;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.time.Duration;

/**
 * Asks the engine every {@code logomesh.restart.engine-check-interval} whether it answers. When it was away
 * and answers again, the pool {@link PluginManager#reconcile reconciles}; from the first miss until that is
 * done {@link #isSettled()} is false (readiness DOWN).
 */
@ApplicationScoped
public class EngineWatch {

    private static final Logger LOG = Logger.getLogger(EngineWatch.class);

    private final ContainerEngine engine;
    private final PluginManager plugins;
    private final Duration interval;
    private volatile boolean away;
    private volatile boolean running;
    private Thread thread;

    @Inject
    public EngineWatch(ContainerEngine engine, PluginManager plugins, HostConfig config) {
        this.engine = engine;
        this.plugins = plugins;
        this.interval = config.restart().engineCheckInterval();
    }

    void onStart(@Observes StartupEvent event) {
        running = true;
        thread = Thread.ofVirtual().name("engine-watch").start(this::loop);
    }

    void onStop(@Observes ShutdownEvent event) {
        running = false;
        if (thread != null) {
            thread.interrupt();
        }
    }

    /** False from the first time the engine did not answer until the reconciliation after its return is done. */
    public boolean isSettled() {
        return !away;
    }

    private void loop() {
        while (running) {
            try {
                Thread.sleep(interval);
            } catch (InterruptedException e) {
                return;
            }
            boolean answers = engine.describe().available();
            if (!answers && !away) {
                away = true;
                LOG.warnf("the Docker engine at %s does not answer; plugins are restarted once it is back",
                        engine.address());
            } else if (answers && away) {
                LOG.infof("the Docker engine at %s answers again; reconciling", engine.address());
                try {
                    plugins.reconcile();
                } catch (RuntimeException e) {
                    LOG.warnf("reconciling after the engine came back failed: %s", e.getMessage());
                }
                away = false;
            }
        }
    }
}
