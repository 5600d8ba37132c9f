package io.logomesh.host.container.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Event;
import com.github.dockerjava.api.model.EventType;
import io.logomesh.host.config.HostIdentity;
import io.logomesh.host.container.ContainerOomEvent;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.io.Closeable;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Listens to the engine's event stream for {@code oom} events of this host's containers and fires a
 * {@link ContainerOomEvent} for each, so an OOM kill is acted on as it happens (also when only a child
 * process was killed and the main process lives on). Reconnects when the stream ends (engine restart).
 */
@ApplicationScoped
public class DockerOomListener {

    private static final Logger LOG = Logger.getLogger(DockerOomListener.class);
    private static final long RETRY_MS = 2_000;

    private final DockerClient docker;
    private final String hostId;
    private final jakarta.enterprise.event.Event<ContainerOomEvent> oomEvents;
    private volatile boolean running;
    private volatile Closeable stream;
    private Thread thread;

    @Inject
    public DockerOomListener(DockerClient docker, HostIdentity identity,
                             jakarta.enterprise.event.Event<ContainerOomEvent> oomEvents) {
        this.docker = docker;
        this.hostId = identity.id();
        this.oomEvents = oomEvents;
    }

    void onStart(@Observes StartupEvent event) {
        running = true;
        thread = Thread.ofVirtual().name("docker-oom-events").start(this::loop);
    }

    void onStop(@Observes ShutdownEvent event) {
        running = false;
        closeQuietly(stream);
        if (thread != null) {
            thread.interrupt();
        }
    }

    private void loop() {
        while (running) {
            Listener listener = new Listener();
            try {
                docker.eventsCmd().withEventTypeFilter(EventType.CONTAINER).withEventFilter("oom")
                        .withLabelFilter(Map.of(ContainerLabels.HOST, hostId))
                        .withSince(Long.toString(Instant.now().getEpochSecond()))
                        .exec(listener);
                stream = listener;
                listener.awaitCompletion();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                LOG.debugf("engine event stream failed: %s", e.getMessage());
            } finally {
                closeQuietly(listener);
            }
            if (running) {
                try {
                    TimeUnit.MILLISECONDS.sleep(RETRY_MS);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    private final class Listener extends ResultCallback.Adapter<Event> {
        @Override
        public void onNext(Event e) {
            if (!"oom".equals(e.getAction()) && !"oom".equals(e.getStatus())) {
                return;
            }
            Map<String, String> attrs = e.getActor() == null ? Map.of() : e.getActor().getAttributes();
            // a cold container by its plugin label, a prewarmed one by its name logomesh-<id> (both label schemes)
            String pluginId = attrs == null ? null
                    : ContainerLabels.pluginOf(attrs, attrs.get("name")).orElse(null);
            if (pluginId == null) {
                return;
            }
            String containerId = e.getActor().getId() != null ? e.getActor().getId() : e.getId();
            LOG.warnf("plugin %s: the kernel's OOM killer struck in its container", pluginId);
            try {
                oomEvents.fire(new ContainerOomEvent(pluginId, containerId, Instant.now()));
            } catch (RuntimeException ex) {
                LOG.warnf("handling the OOM event of plugin %s failed: %s", pluginId, ex.getMessage());
            }
        }
    }

    private static void closeQuietly(Closeable c) {
        if (c != null) {
            try {
                c.close();
            } catch (Exception e) {
                // closing anyway
            }
        }
    }
}
