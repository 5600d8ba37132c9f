package io.logomesh.host.health;

import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Liveness;

import java.time.Duration;
import java.time.Instant;

/** Alive while every loop registered in {@link LoopHeartbeats} has beaten recently; names the ones that have not. */
@Liveness
public class LoopLivenessCheck implements HealthCheck {

    private final LoopHeartbeats heartbeats;

    @Inject
    public LoopLivenessCheck(LoopHeartbeats heartbeats) {
        this.heartbeats = heartbeats;
    }

    @Override
    public HealthCheckResponse call() {
        Instant now = heartbeats.now();
        HealthCheckResponseBuilder response = HealthCheckResponse.named("host-loops").up();
        StringBuilder overdue = new StringBuilder();
        for (LoopHeartbeats.Loop loop : heartbeats.loops().values()) {
            long silentMs = Duration.between(loop.lastBeat(), now).toMillis();
            response.withData(loop.name(), "last beat " + silentMs + " ms ago");
            if (loop.overdue(now)) {
                overdue.append(overdue.isEmpty() ? "" : ", ").append(loop.name()).append(" silent for ")
                        .append(silentMs).append(" ms (allowed ").append(loop.maxSilence().toMillis()).append(")");
            }
        }
        if (!overdue.isEmpty()) {
            response.down().withData("message", "host loop(s) stalled: " + overdue);
        }
        return response.build();
    }
}
