package io.logomesh.host.config;

/**
 * The host's one token bucket (messaging rates, {@code ctx.auditLog} rates, audited refusals):
 * holds up to {@code capacity} tokens, refilled continuously at {@code ratePerSecond}; each take
 * needs one. Thread-safe; time is passed in (nanoseconds) so the arithmetic is testable without
 * sleeping. Lives in {@code config/} because every layer may use it (imports flow downwards).
 */
public final class TokenBucket {

    private final double capacity;
    private final double perNano;
    private double tokens;
    private long last;

    /**
     * @param ratePerSecond refill rate, tokens per second (positive)
     * @param capacity      the burst: tokens held at most, at least 1
     * @param nowNanos      the clock now ({@link System#nanoTime()})
     */
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
        refill(nowNanos);
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        return false;
    }

    /** Whether the bucket is full again at {@code nowNanos} (nothing taken for a while). */
    public synchronized boolean isFull(long nowNanos) {
        refill(nowNanos);
        return tokens >= capacity;
    }

    private void refill(long nowNanos) {
        long elapsed = Math.max(0, nowNanos - last);
        last = Math.max(last, nowNanos);
        tokens = Math.min(capacity, tokens + elapsed * perNano);
    }
}
