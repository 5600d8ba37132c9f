package io.logomesh.host.audit;

/**
 * A token bucket: holds up to {@code capacity} tokens, refilled at {@code perSecond}; each
 * take needs one. Thread-safe. The clock is passed in (nanoseconds) so tests need no sleeping.
 */
public final class TokenBucket {

    private final double capacity;
    private final double perNano;
    private double tokens;
    private long last;

    public TokenBucket(int capacity, int perSecond, long nowNanos) {
        this.capacity = Math.max(1, capacity);
        this.perNano = Math.max(0, perSecond) / 1e9;
        this.tokens = this.capacity;
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
