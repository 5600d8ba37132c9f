package io.logomesh.host.health;

import io.logomesh.host.config.HostConfig;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/**
 * The host's own pulse: every {@code logomesh.health.heartbeat-interval} the scheduler hands a
 * beat to a fresh virtual thread (the kind every IPC loop runs on). If the scheduler or the
 * virtual-thread carriers stall, the beat stops and liveness goes DOWN.
 */
@ApplicationScoped
public class HeartbeatLoop {

    /** The loop's name in {@link LoopHeartbeats} and in the liveness report. */
    public static final String NAME = "scheduler+virtual-threads";

    private final LoopHeartbeats heartbeats;
    private final HostConfig config;

    @Inject
    public HeartbeatLoop(LoopHeartbeats heartbeats, HostConfig config) {
        this.heartbeats = heartbeats;
        this.config = config;
    }

    void onStart(@Observes StartupEvent event) {
        heartbeats.register(NAME, config.health().maxSilence());
    }

    @Scheduled(every = "${logomesh.health.heartbeat-interval:5s}", identity = "logomesh-heartbeat",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void tick() {
        Thread.ofVirtual().name("heartbeat").start(() -> heartbeats.beat(NAME));
    }
}
