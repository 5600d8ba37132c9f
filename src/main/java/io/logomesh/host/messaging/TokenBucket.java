package io.logomesh.host.messaging;

/**
 * A token bucket: holds up to {@code capacity} tokens, refilled continuously at
 * {@code ratePerSecond}; each send takes one. Thread-safe; time is passed in (nanoseconds) so the
 * arithmetic is testable without sleeping.
 */
public final class TokenBucket {

    private final double capacity;
    private final double perNano;
    private double tokens;
    private long last;

    public TokenBucket(double ratePerSecond, double capacity, long nowNanos) {
        if (ratePerSecond <= 0 || capacity < 1) {
            throw new IllegalArgumentException("a token bucket needs a positive rate and a capacity of at least 1");
        }
        this.capacity = capacity;
        this.perNano = ratePerSecond / 1_000_000_000d;
        this.tokens = capacity;
        this.last = nowNanos;
    }

    /** Takes one token if there is one. */
    public synchronized boolean tryTake(long nowNanos) {
        long elapsed = Math.max(0, nowNanos - last);
        last = Math.max(last, nowNanos);
        tokens = Math.min(capacity, tokens + elapsed * perNano);
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        return false;
    }
}
