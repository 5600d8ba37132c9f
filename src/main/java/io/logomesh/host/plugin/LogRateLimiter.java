package io.logomesh.host.plugin;

import io.logomesh.host.config.TokenBucket;

/**
 * The log limit of one plugin's {@code log} notifications, over the host's one {@link TokenBucket}:
 * at most {@code perSecond} lines a second into the host's log (bursts up to {@code burst}); the rest are counted, and the count is
 * reported once the bucket lets a line through again. Keeps a flooding plugin from flooding the
 * host's log. Thread-safe.
 */
final class LogRateLimiter {

    private final TokenBucket bucket;
    private long dropped;

    LogRateLimiter(int perSecond, int burst) {
        if (perSecond < 1 || burst < 1) {
            throw new IllegalArgumentException("rate and burst must be positive");
        }
        this.bucket = new TokenBucket(perSecond, burst, System.nanoTime());
    }

    /**
     * Asks to log one line at {@code nowNanos}: -1 when it must be dropped, else the number of
     * lines dropped since the last line that went through (0 usually).
     */
    synchronized long admit(long nowNanos) {
        if (!bucket.tryTake(nowNanos)) {
            dropped++;
            return -1;
        }
        long report = dropped;
        dropped = 0;
        return report;
    }
}
