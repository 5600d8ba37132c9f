package io.logomesh.host.container;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Optional;

/**
 * Sets a running container's memory, CPU and pids limits by writing its cgroup files, the same files the
 * engine's {@code docker update} ends up writing (runc), in microseconds instead of the tens of milliseconds an
 * engine round trip takes. The kernel enforces a value from the moment it is written; the engine is told
 * afterwards so that {@code docker inspect} shows it too ({@code DockerContainerResources}).
 *
 * <p>cgroup v1 ({@code memory|cpu|pids/docker/<id>}): memory and memory+swap set to the same value (no swap),
 * in the order the kernel accepts (memory+swap may never be below memory), the CFS quota for the container's
 * own period, {@code pids.max}. cgroup v2 ({@code system.slice/docker-<id>.scope} or {@code docker/<id>}):
 * {@code memory.max}, {@code memory.swap.max = 0}, {@code cpu.max}, {@code pids.max}. Where neither is found
 * (a remote engine, a read-only {@code /sys/fs/cgroup}), {@link #set} says so and the caller asks the engine.
 */
public final class CgroupLimits {

    private static final long NANOS_PER_CORE = 1_000_000_000L;
    private static final long DEFAULT_PERIOD_US = 100_000L;

    /** As the pids limit: leave the one the container has. */
    public static final long KEEP = Long.MIN_VALUE;

    private final Path cgroupRoot;

    public CgroupLimits(Path cgroupRoot) {
        this.cgroupRoot = cgroupRoot;
    }

    /**
     * Writes the limits of container {@code id}.
     *
     * @param nanoCpus CPU limit in billionths of a core (as the engine's {@code NanoCpus})
     * @param pidsLimit the pids limit, a value ≤ 0 for none, or {@link #KEEP}
     * @return false when this container's cgroup folders are not reachable from here (nothing was written)
     * @throws ContainerUpdateException when the kernel refused a value (e.g. memory below what is in use)
     */
    public boolean set(String id, long memoryBytes, long nanoCpus, long pidsLimit) {
        Path v1Memory = cgroupRoot.resolve("memory/docker").resolve(id);
        if (writable(v1Memory.resolve("memory.limit_in_bytes"))) {
            setV1(id, v1Memory, memoryBytes, nanoCpus, pidsLimit);
            return true;
        }
        Optional<Path> v2 = v2Dir(id);
        if (v2.isPresent()) {
            setV2(v2.get(), memoryBytes, nanoCpus, pidsLimit);
            return true;
        }
        return false;
    }

    private void setV1(String id, Path memory, long memoryBytes, long nanoCpus, long pidsLimit) {
        Path limit = memory.resolve("memory.limit_in_bytes");
        Path memsw = memory.resolve("memory.memsw.limit_in_bytes");
        boolean swapAccounting = Files.exists(memsw);
        if (swapAccounting && memoryBytes > read(limit)) {
            write(memsw, memoryBytes); // raising: memory+swap first, it may never be below memory
            write(limit, memoryBytes);
        } else {
            write(limit, memoryBytes);
            if (swapAccounting) {
                write(memsw, memoryBytes);
            }
        }
        Path cpu = cgroupRoot.resolve("cpu/docker").resolve(id);
        long period = Files.exists(cpu.resolve("cpu.cfs_period_us")) ? read(cpu.resolve("cpu.cfs_period_us"))
                : DEFAULT_PERIOD_US;
        write(cpu.resolve("cpu.cfs_quota_us"), quota(nanoCpus, period));
        writePids(cgroupRoot.resolve("pids/docker").resolve(id).resolve("pids.max"), pidsLimit);
    }

    private void setV2(Path dir, long memoryBytes, long nanoCpus, long pidsLimit) {
        writeText(dir.resolve("memory.max"), Long.toString(memoryBytes));
        if (Files.exists(dir.resolve("memory.swap.max"))) {
            writeText(dir.resolve("memory.swap.max"), "0");
        }
        writeText(dir.resolve("cpu.max"), quota(nanoCpus, DEFAULT_PERIOD_US) + " " + DEFAULT_PERIOD_US);
        writePids(dir.resolve("pids.max"), pidsLimit);
    }

    /** The CFS quota (µs per period) of {@code nanoCpus}, as runc computes it; at least 1000 µs (the kernel's). */
    static long quota(long nanoCpus, long periodUs) {
        return Math.max(1000L, nanoCpus * periodUs / NANOS_PER_CORE);
    }

    private static void writePids(Path file, long pidsLimit) {
        if (pidsLimit != KEEP) {
            writeText(file, pidsLimit > 0 ? Long.toString(pidsLimit) : "max");
        }
    }

    private Optional<Path> v2Dir(String id) {
        for (Path dir : List.of(cgroupRoot.resolve("system.slice/docker-" + id + ".scope"),
                cgroupRoot.resolve("docker").resolve(id))) {
            if (writable(dir.resolve("memory.max"))) {
                return Optional.of(dir);
            }
        }
        return Optional.empty();
    }

    private static boolean writable(Path file) {
        return Files.isRegularFile(file) && Files.isWritable(file);
    }

    private static long read(Path file) {
        try {
            return Long.parseLong(Files.readString(file, StandardCharsets.US_ASCII).trim());
        } catch (IOException | NumberFormatException e) {
            throw new ContainerUpdateException("cannot read " + file.getFileName() + ": " + e.getMessage(), e);
        }
    }

    private static void write(Path file, long value) {
        writeText(file, Long.toString(value));
    }

    private static void writeText(Path file, String value) {
        try {
            Files.writeString(file, value, StandardCharsets.US_ASCII, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING);
        } catch (IOException e) {
            throw new ContainerUpdateException("the kernel refused " + file.getFileName() + " = " + value + ": "
                    + e.getMessage(), e);
        }
    }
}
