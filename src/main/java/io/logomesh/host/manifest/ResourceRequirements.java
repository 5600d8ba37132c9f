package io.logomesh.host.manifest;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The limits a plugin asks for in {@code resourceRequirements}. When the manifest has no
 * {@code resourceRequirements}, {@link #DEFAULTS} apply (128 MB, 50 %, 30 s, no network, no
 * file system). JSON names match the manifest's.
 *
 * @param maxMemoryMB        memory limit in MiB (1..1024)
 * @param maxCpuPercent      CPU share in percent of one CPU (1..100)
 * @param maxExecutionTimeMs time limit of one action in milliseconds (100..300000)
 * @param networkAccess      whether the plugin asks for a network
 * @param fileSystemAccess   whether the plugin asks for a writable data volume
 * @param burstMemoryMB      ceiling that memory grants may raise the limit to, or null (no memory grants)
 * @param burstCpuPercent    ceiling that CPU grants may raise the limit to, or null (no CPU grants)
 */
public record ResourceRequirements(
        int maxMemoryMB,
        double maxCpuPercent,
        long maxExecutionTimeMs,
        boolean networkAccess,
        boolean fileSystemAccess,
        @JsonInclude(JsonInclude.Include.NON_NULL) Integer burstMemoryMB,
        @JsonInclude(JsonInclude.Include.NON_NULL) Double burstCpuPercent) {

    public static final int DEFAULT_MAX_MEMORY_MB = 128;
    public static final double DEFAULT_MAX_CPU_PERCENT = 50.0;
    public static final long DEFAULT_MAX_EXECUTION_TIME_MS = 30_000L;
    public static final boolean DEFAULT_NETWORK_ACCESS = false;
    public static final boolean DEFAULT_FILE_SYSTEM_ACCESS = false;

    /** Requirements without burst ceilings (no grants). */
    public ResourceRequirements(int maxMemoryMB, double maxCpuPercent, long maxExecutionTimeMs,
                                boolean networkAccess, boolean fileSystemAccess) {
        this(maxMemoryMB, maxCpuPercent, maxExecutionTimeMs, networkAccess, fileSystemAccess, null, null);
    }

    /** The requirements assumed when a manifest declares none. */
    public static final ResourceRequirements DEFAULTS = new ResourceRequirements(
            DEFAULT_MAX_MEMORY_MB, DEFAULT_MAX_CPU_PERCENT, DEFAULT_MAX_EXECUTION_TIME_MS,
            DEFAULT_NETWORK_ACCESS, DEFAULT_FILE_SYSTEM_ACCESS);
}
