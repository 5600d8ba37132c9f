package io.logomesh.host.messaging;

import io.logomesh.host.config.HostConfig;
import io.logomesh.host.config.TokenBucket;
import io.logomesh.host.plugin.PluginState;
import io.logomesh.host.plugin.PluginStateEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Back-pressure for messaging: a token bucket per sending plugin ({@code rate-per-second},
 * {@code burst}) and a bounded count of messages in flight per receiver
 * ({@code max-in-flight-per-receiver}). A flooding plugin runs out of its own tokens (refused
 * {@code rate_limited}) or fills only its receiver's slots (further senders to that receiver get
 * {@code busy}); other pairs are untouched.
 */
@ApplicationScoped
public class MessagingLimits {

    private final HostConfig.Messaging config;
    private final Map<String, TokenBucket> buckets = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> inFlight = new ConcurrentHashMap<>();

    @Inject
    public MessagingLimits(HostConfig config) {
        this.config = config.messaging();
    }

    /** Takes one send from the sender's budget, or fails with {@code rate_limited}. */
    public void takeToken(String senderId) {
        TokenBucket bucket = buckets.computeIfAbsent(senderId,
                id -> new TokenBucket(config.ratePerSecond(), config.burst(), System.nanoTime()));
        if (!bucket.tryTake(System.nanoTime())) {
            throw new MessagingException("rate_limited", "plugin " + senderId + " sends faster than "
                    + (long) config.ratePerSecond() + " messages per second; slow down and try again");
        }
    }

    /** Reserves a slot at the receiver, or fails with {@code busy}; release it with {@link #release}. */
    public void reserve(String receiverId) {
        AtomicInteger count = inFlight.computeIfAbsent(receiverId, id -> new AtomicInteger());
        if (count.incrementAndGet() > config.maxInFlightPerReceiver()) {
            count.decrementAndGet();
            throw new MessagingException("busy", "plugin " + receiverId + " already has "
                    + config.maxInFlightPerReceiver() + " messages waiting for replies; try again later");
        }
    }

    public void release(String receiverId) {
        AtomicInteger count = inFlight.get(receiverId);
        if (count != null) {
            count.decrementAndGet();
        }
    }

    void onStateChange(@Observes PluginStateEvent event) {
        if (event.to() == PluginState.UNINSTALLED) {
            buckets.remove(event.pluginId());
            inFlight.remove(event.pluginId());
        }
    }
}
