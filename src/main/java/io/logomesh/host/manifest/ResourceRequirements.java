package io.logomesh.host.manifest;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;

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
 * @param maxConcurrency     most actions running inside the plugin at once (1..256), or null for the
 *                           runtime's default ({@link #defaultMaxConcurrency})
 * @param allowedHosts       where the plugin may connect through the egress proxy once it holds {@code network}:
 *                           {@link HostPattern}s such as {@code api.example.com:443} (empty: nowhere)
 */
public record ResourceRequirements(
        int maxMemoryMB,
        double maxCpuPercent,
        long maxExecutionTimeMs,
        boolean networkAccess,
        boolean fileSystemAccess,
        @JsonInclude(JsonInclude.Include.NON_NULL) Integer burstMemoryMB,
        @JsonInclude(JsonInclude.Include.NON_NULL) Double burstCpuPercent,
        @JsonInclude(JsonInclude.Include.NON_NULL) Integer maxConcurrency,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> allowedHosts) {

    public ResourceRequirements {
        allowedHosts = allowedHosts == null ? List.of() : List.copyOf(allowedHosts);
    }

    /** Requirements without an allow-list. */
    public ResourceRequirements(int maxMemoryMB, double maxCpuPercent, long maxExecutionTimeMs,
                                boolean networkAccess, boolean fileSystemAccess, Integer burstMemoryMB,
                                Double burstCpuPercent, Integer maxConcurrency) {
        this(maxMemoryMB, maxCpuPercent, maxExecutionTimeMs, networkAccess, fileSystemAccess, burstMemoryMB,
                burstCpuPercent, maxConcurrency, List.of());
    }

    public static final int DEFAULT_MAX_MEMORY_MB = 128;
    public static final double DEFAULT_MAX_CPU_PERCENT = 50.0;
    public static final long DEFAULT_MAX_EXECUTION_TIME_MS = 30_000L;
    public static final boolean DEFAULT_NETWORK_ACCESS = false;
    public static final boolean DEFAULT_FILE_SYSTEM_ACCESS = false;
    /** Default {@code maxConcurrency} of a Node.js plugin: its {@code execute} may be async, one event loop. */
    public static final int DEFAULT_MAX_CONCURRENCY_NODEJS = 16;
    /** Default {@code maxConcurrency} of a Python plugin: the size of the shim's worker pool for plain functions. */
    public static final int DEFAULT_MAX_CONCURRENCY_PYTHON = 8;
    /** Default {@code maxConcurrency} of a WebAssembly plugin: its one module instance runs one call at a time. */
    public static final int DEFAULT_MAX_CONCURRENCY_WASM = 1;

    /** Requirements without burst ceilings (no grants). */
    public ResourceRequirements(int maxMemoryMB, double maxCpuPercent, long maxExecutionTimeMs,
                                boolean networkAccess, boolean fileSystemAccess) {
        this(maxMemoryMB, maxCpuPercent, maxExecutionTimeMs, networkAccess, fileSystemAccess, null, null);
    }

    /** Requirements with burst ceilings and the runtime's default concurrency. */
    public ResourceRequirements(int maxMemoryMB, double maxCpuPercent, long maxExecutionTimeMs,
                                boolean networkAccess, boolean fileSystemAccess, Integer burstMemoryMB,
                                Double burstCpuPercent) {
        this(maxMemoryMB, maxCpuPercent, maxExecutionTimeMs, networkAccess, fileSystemAccess, burstMemoryMB,
                burstCpuPercent, null);
    }

    /** The {@code maxConcurrency} that applies: the declared one, else the runtime's default. */
    public int maxConcurrencyFor(PluginManifest.Runtime runtime) {
        return maxConcurrency != null ? maxConcurrency : defaultMaxConcurrency(runtime);
    }

    /** How many actions a runtime runs at once when the manifest does not say. */
    public static int defaultMaxConcurrency(PluginManifest.Runtime runtime) {
        return switch (runtime) {
            case NODEJS -> DEFAULT_MAX_CONCURRENCY_NODEJS;
            case PYTHON -> DEFAULT_MAX_CONCURRENCY_PYTHON;
            case WEBASSEMBLY -> DEFAULT_MAX_CONCURRENCY_WASM;
        };
    }

    /** The requirements assumed when a manifest declares none. */
    public static final ResourceRequirements DEFAULTS = new ResourceRequirements(
            DEFAULT_MAX_MEMORY_MB, DEFAULT_MAX_CPU_PERCENT, DEFAULT_MAX_EXECUTION_TIME_MS,
            DEFAULT_NETWORK_ACCESS, DEFAULT_FILE_SYSTEM_ACCESS);
}
