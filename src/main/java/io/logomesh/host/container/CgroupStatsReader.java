package io.logomesh.host.container;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Reads a container's counters straight from the kernel: its cgroup files (v1: {@code memory/docker/<id>},
 * {@code cpuacct}, {@code cpu}, {@code pids}, {@code blkio}; v2: the unified {@code system.slice/docker-<id>.scope}
 * or {@code docker/<id>} folder) and {@code /proc/<pid>/net/dev} of its init process. Reading a handful of
 * small files costs microseconds, where the engine's stats API takes a second or more per container.
 */
public final class CgroupStatsReader {

    private static final long UNLIMITED = 1L << 62;
    private static final Pattern WS = Pattern.compile("\\s+");

    /** Limits change only through {@code docker update} (which calls {@link #invalidate}); re-read them this often anyway. */
    private static final long LIMITS_TTL_NANOS = 5_000_000_000L;

    private final Path cgroupRoot;
    private final Path procRoot;
    private final Map<String, Limits> limits = new java.util.concurrent.ConcurrentHashMap<>();

    private record Limits(long memory, long pids, long readAt) {
    }

    public CgroupStatsReader(Path cgroupRoot, Path procRoot) {
        this.cgroupRoot = cgroupRoot;
        this.procRoot = procRoot;
    }

    /** Forgets the cached limits of a container (they were just changed, or it ended). */
    public void invalidate(String containerId) {
        limits.remove(containerId);
    }

    private Limits limits(String id, Path memoryLimit, Path pidsMax) throws IOException {
        long now = System.nanoTime();
        Limits l = limits.get(id);
        if (l == null || now - l.readAt() > LIMITS_TTL_NANOS) {
            l = new Limits(limit(Files.readString(memoryLimit)), limit(Files.readString(pidsMax)), now);
            limits.put(id, l);
        }
        return l;
    }

    /** The counters, or empty when this container's cgroup files cannot be read from here. */
    public Optional<ContainerStats> read(String containerId, long pid) {
        try {
            Path v1 = cgroupRoot.resolve("memory/docker").resolve(containerId);
            if (Files.isDirectory(v1)) {
                return Optional.of(readV1(containerId, pid));
            }
            for (Path v2 : List.of(cgroupRoot.resolve("system.slice/docker-" + containerId + ".scope"),
                    cgroupRoot.resolve("docker").resolve(containerId))) {
                if (Files.isRegularFile(v2.resolve("memory.current"))) {
                    return Optional.of(readV2(containerId, v2, pid));
                }
            }
            return Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty(); // gone meanwhile, or not readable: the caller falls back
        }
    }

    private ContainerStats readV1(String id, long pid) throws IOException {
        long nanos = System.nanoTime();
        Path mem = cgroupRoot.resolve("memory/docker").resolve(id);
        Map<String, Long> memStat = keyValues(Files.readString(mem.resolve("memory.stat")));
        Map<String, Long> cpuStat = keyValues(Files.readString(cgroupRoot.resolve("cpu/docker").resolve(id).resolve("cpu.stat")));
        Path pids = cgroupRoot.resolve("pids/docker").resolve(id);
        long[] io = blkioV1(Files.readString(cgroupRoot.resolve("blkio/docker").resolve(id)
                .resolve("blkio.throttle.io_service_bytes_recursive")));
        long[] net = netDev(pid);
        Limits l = limits(id, mem.resolve("memory.limit_in_bytes"), pids.resolve("pids.max"));
        return new ContainerStats("cgroup-v1", Instant.now(), nanos,
                number(Files.readString(mem.resolve("memory.usage_in_bytes"))),
                memStat.getOrDefault("total_inactive_file", memStat.getOrDefault("inactive_file", 0L)),
                l.memory(),
                number(Files.readString(mem.resolve("memory.failcnt"))),
                number(Files.readString(cgroupRoot.resolve("cpuacct/docker").resolve(id).resolve("cpuacct.usage"))),
                cpuStat.getOrDefault("nr_throttled", 0L),
                number(Files.readString(pids.resolve("pids.current"))),
                l.pids(),
                net[0], net[1], io[0], io[1]);
    }

    private ContainerStats readV2(String id, Path dir, long pid) throws IOException {
        long nanos = System.nanoTime();
        Map<String, Long> memStat = keyValues(Files.readString(dir.resolve("memory.stat")));
        Map<String, Long> cpuStat = keyValues(Files.readString(dir.resolve("cpu.stat")));
        Map<String, Long> events = keyValues(readOr(dir.resolve("memory.events"), ""));
        long[] io = ioStatV2(readOr(dir.resolve("io.stat"), ""));
        long[] net = netDev(pid);
        Limits l = limits(id, dir.resolve("memory.max"), dir.resolve("pids.max"));
        return new ContainerStats("cgroup-v2", Instant.now(), nanos,
                number(Files.readString(dir.resolve("memory.current"))),
                memStat.getOrDefault("inactive_file", 0L),
                l.memory(),
                events.getOrDefault("max", 0L),
                cpuStat.getOrDefault("usage_usec", 0L) * 1_000,
                cpuStat.getOrDefault("nr_throttled", 0L),
                number(Files.readString(dir.resolve("pids.current"))),
                l.pids(),
                net[0], net[1], io[0], io[1]);
    }

    private long[] netDev(long pid) throws IOException {
        if (pid <= 0) {
            return new long[] {0, 0};
        }
        return netDev(Files.readString(procRoot.resolve(Long.toString(pid)).resolve("net/dev")));
    }

    private static String readOr(Path file, String fallback) throws IOException {
        return Files.isRegularFile(file) ? Files.readString(file) : fallback;
    }

    /** {@code key value} lines (memory.stat, cpu.stat, memory.events) to a map; other lines are skipped. */
    static Map<String, Long> keyValues(String text) {
        Map<String, Long> map = new HashMap<>();
        int start = 0;
        while (start < text.length()) {
            int end = text.indexOf('\n', start);
            if (end < 0) {
                end = text.length();
            }
            int space = text.indexOf(' ', start);
            if (space > start && space < end) {
                try {
                    map.put(text.substring(start, space), Long.parseLong(text.substring(space + 1, end).trim()));
                } catch (NumberFormatException e) {
                    // not a counter
                }
            }
            start = end + 1;
        }
        return map;
    }

    /** Read and write bytes summed over devices from v1 {@code blkio.throttle.io_service_bytes_recursive}. */
    static long[] blkioV1(String text) {
        long read = 0;
        long write = 0;
        for (String line : text.split("\n")) {
            String[] p = WS.split(line.trim());
            if (p.length == 3) {
                if (p[1].equals("Read")) {
                    read += Long.parseLong(p[2]);
                } else if (p[1].equals("Write")) {
                    write += Long.parseLong(p[2]);
                }
            }
        }
        return new long[] {read, write};
    }

    /** Read and write bytes summed over devices from v2 {@code io.stat} ({@code 8:0 rbytes=… wbytes=…}). */
    static long[] ioStatV2(String text) {
        long read = 0;
        long write = 0;
        for (String line : text.split("\n")) {
            for (String field : WS.split(line.trim())) {
                if (field.startsWith("rbytes=")) {
                    read += Long.parseLong(field.substring(7));
                } else if (field.startsWith("wbytes=")) {
                    write += Long.parseLong(field.substring(7));
                }
            }
        }
        return new long[] {read, write};
    }

    /** Received and sent bytes over every interface but {@code lo}, from {@code /proc/<pid>/net/dev}. */
    static long[] netDev(String text) {
        long rx = 0;
        long tx = 0;
        for (String line : text.split("\n")) {
            int colon = line.indexOf(':');
            if (colon < 0 || line.contains("|")) {
                continue;
            }
            if (line.substring(0, colon).trim().equals("lo")) {
                continue;
            }
            String[] f = WS.split(line.substring(colon + 1).trim());
            if (f.length >= 9) {
                rx += Long.parseLong(f[0]);
                tx += Long.parseLong(f[8]);
            }
        }
        return new long[] {rx, tx};
    }

    private static long number(String text) {
        return Long.parseLong(text.trim());
    }

    /** A limit file's value; {@code max} or v1's "unlimited" huge number is 0 (no limit). */
    static long limit(String text) {
        String t = text.trim();
        if (t.equals("max")) {
            return 0;
        }
        long value = Long.parseLong(t);
        return value >= UNLIMITED ? 0 : value;
    }
}
