package io.logomesh.host.monitor;

import java.time.Instant;

/** One sample as {@code /usage/history} and {@code /usage/stream} show it (JSON names are the API's). */
public record UsagePoint(
        Instant timestamp,
        long memoryBytes,
        double memoryMB,
        double cpuPercent,
        long pids,
        long networkBytesIn,
        long networkBytesOut,
        long diskReadBytes,
        long diskWriteBytes) {
}
