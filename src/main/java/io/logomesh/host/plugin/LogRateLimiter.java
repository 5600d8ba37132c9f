package io.logomesh.host.plugin;

/**
 * A token bucket for one plugin's {@code log} notifications: at most {@code perSecond} lines a
 * second into the host's log (bursts up to {@code burst}); the rest are counted, and the count is
 * reported once the bucket lets a line through again. Keeps a flooding plugin from flooding the
 * host's log. Thread-safe.
 */
final class LogRateLimiter {

    private final double perNano;
    private final double burst;
    private double tokens;
    private long last;
    private long dropped;

    LogRateLimiter(int perSecond, int burst) {
        if (perSecond < 1 || burst < 1) {
            throw new IllegalArgumentException("rate and burst must be positive");
        }
        this.perNano = perSecond / 1e9;
        this.burst = burst;
        this.tokens = burst;
        this.last = System.nanoTime();
    }

    /**
     * Asks to log one line at {@code nowNanos}: -1 when it must be dropped, else the number of
     * lines dropped since the last line that went through (0 usually).
     */
    synchronized long admit(long nowNanos) {
        tokens = Math.min(burst, tokens + (nowNanos - last) * perNano);
        last = nowNanos;
        if (tokens < 1) {
            dropped++;
            return -1;
        }
        tokens -= 1;
        long report = dropped;
        dropped = 0;
        return report;
    }
}
