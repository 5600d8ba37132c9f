package io.logomesh.host.audit;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.logomesh.host.config.TokenBucket;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Rate-limits the refusals others can make the host record. A refusal is a record caused by a
 * plugin (actor {@code plugin:<id>}) whose outcome is not a success — refused or failed messages
 * and emits, permission requests, denied grants — or an unauthenticated mutating REST call (actor
 * {@code unauthenticated}, keyed by its {@code remote} address). Each source has one token bucket;
 * past it, refusals are counted per kind ({@code type:outcome}) and {@link #summaries} turns the
 * counts into one {@code audit}/{@code suppressed} record per kind and window. The first refusal a
 * source loses in an episode (until it is quiet again) is a {@link Verdict#TRIP}, for an alert.
 * Records of operators and of the host itself are never limited. Thread-safe.
 */
public final class RefusalLimiter {

    /** What to do with one event. */
    public enum Verdict {
        /** Record it. */
        WRITE,
        /** Count it instead. */
        SUPPRESS,
        /** Count it instead; the source has just started to flood (raise an alert once). */
        TRIP
    }

    /** Outcomes that are not refusals. */
    static final Set<String> SUCCESS = Set.of("ok", "delivered", "granted", "released", "applied");
    /** Sources tracked at most; past it, new remote addresses share {@link #OVERFLOW}. */
    static final int MAX_SOURCES = 10_000;
    static final String OVERFLOW = "remote:*";
    static final String UNAUTHENTICATED = "unauthenticated";

    private final double rate;
    private final int burst;
    private final long windowNanos;
    private final Map<String, Source> sources = new ConcurrentHashMap<>();

    public RefusalLimiter(double ratePerSecond, int burst, long windowNanos) {
        this.rate = ratePerSecond;
        this.burst = burst;
        this.windowNanos = windowNanos;
        new TokenBucket(rate, burst, 0); // refuses nonsense settings now, not at the first refusal
    }

    /** The source an event's refusal counts against, or null when it is not a limited refusal. */
    static String source(AuditEvent e) {
        String actor = e.actor();
        if (actor == null || SUCCESS.contains(e.outcome())) {
            return null;
        }
        if (actor.startsWith("plugin:")) {
            return actor;
        }
        if (UNAUTHENTICATED.equals(actor)) {
            return "remote:" + e.details().path("remote").asText("unknown");
        }
        return null;
    }

    /** Decides about one (already bounded) event at {@code nowNanos}. */
    public Verdict admit(AuditEvent e, long nowNanos) {
        String key = source(e);
        if (key == null) {
            return Verdict.WRITE;
        }
        if (!sources.containsKey(key) && sources.size() >= MAX_SOURCES && key.startsWith("remote:")) {
            key = OVERFLOW;
        }
        String pluginId = key.startsWith("plugin:") ? e.pluginId() : null;
        String kind = AuditText.cutId(e.type() + ":" + e.outcome());
        while (true) {
            Source s = sources.computeIfAbsent(key, k -> new Source(k, pluginId, new TokenBucket(rate, burst, nowNanos),
                    nowNanos));
            Verdict v = s.admit(kind, nowNanos);
            if (v != null) {
                return v;
            }
            sources.remove(key, s); // forgotten meanwhile: count in a fresh one
        }
    }

    /**
     * The summary records due at {@code nowNanos}: one per source and kind whose window is over (every
     * one when {@code all}, at shutdown). Forgets sources that are quiet again.
     */
    public List<AuditEvent> summaries(long nowNanos, boolean all) {
        List<AuditEvent> out = new ArrayList<>();
        for (Iterator<Source> it = sources.values().iterator(); it.hasNext(); ) {
            Source s = it.next();
            if (s.summarise(nowNanos, all, windowNanos, out)) {
                it.remove();
            }
        }
        return out;
    }

    /** Refusals counted and not yet summarised, over every source (for tests and metrics). */
    public long pending() {
        return sources.values().stream().mapToLong(Source::pending).sum();
    }

    private static final class Source {
        private final String key;
        private final String pluginId;
        private final TokenBucket bucket;
        private final Map<String, Long> suppressed = new LinkedHashMap<>();
        private long windowStart;
        private boolean tripped;
        private boolean forgotten;

        Source(String key, String pluginId, TokenBucket bucket, long now) {
            this.key = key;
            this.pluginId = pluginId;
            this.bucket = bucket;
            this.windowStart = now;
        }

        /** @return null when this source was forgotten meanwhile */
        synchronized Verdict admit(String kind, long now) {
            if (forgotten) {
                return null;
            }
            if (bucket.tryTake(now)) {
                return Verdict.WRITE;
            }
            if (suppressed.isEmpty()) {
                windowStart = now;
            }
            suppressed.merge(kind, 1L, Long::sum);
            if (!tripped) {
                tripped = true;
                return Verdict.TRIP;
            }
            return Verdict.SUPPRESS;
        }

        /** @return whether the source is quiet and can be forgotten */
        synchronized boolean summarise(long now, boolean all, long window, List<AuditEvent> out) {
            if (!suppressed.isEmpty() && (all || now - windowStart >= window)) {
                long seconds = Math.max(1, Math.round((now - windowStart) / 1e9));
                Instant at = Instant.now();
                suppressed.forEach((kind, n) -> {
                    ObjectNode d = AuditEvent.newDetails().put("source", key).put("kind", kind).put("suppressed", n)
                            .put("seconds", seconds)
                            .put("message", n + " refusals of kind " + kind + " suppressed in the last " + seconds + " s");
                    out.add(new AuditEvent("audit", pluginId, AuditEvent.HOST, "suppressed", d, at));
                });
                suppressed.clear();
                windowStart = now;
                return false;
            }
            forgotten = suppressed.isEmpty() && bucket.isFull(now);
            return forgotten;
        }

        synchronized long pending() {
            return suppressed.values().stream().mapToLong(Long::longValue).sum();
        }
    }
}
