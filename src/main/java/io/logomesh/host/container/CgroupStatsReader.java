package io.logomesh.host.container;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/**
 * Reads a container's counters straight from the kernel: its cgroup files (v1: {@code memory/docker/<id>},
 * {@code cpuacct}, {@code cpu}, {@code pids}, {@code blkio}; v2: the unified {@code system.slice/docker-<id>.scope}
 * or {@code docker/<id>} folder) and {@code /proc/<pid>/net/dev} of its init process. Reading a handful of
 * small files costs microseconds, where the engine's stats API takes a second or more per container.
 * Each container's files stay open between readings ({@link CounterFiles}); those of a container not read
 * for {@link #IDLE_NANOS} are closed.
 */
public final class CgroupStatsReader {

    private static final long UNLIMITED = 1L << 62;
    private static final Pattern WS = Pattern.compile("\\s+");

    /** Limits change only through {@code docker update} (which calls {@link #invalidate}); re-read them this often anyway. */
    private static final long LIMITS_TTL_NANOS = 5_000_000_000L;

    /** A container's files not read for this long are closed (it ended, or nobody samples it any more). */
    static final long IDLE_NANOS = 10_000_000_000L;

    private final Path cgroupRoot;
    private final Path procRoot;
    private final Map<String, Limits> limits = new ConcurrentHashMap<>();
    private final Map<String, Located> located = new ConcurrentHashMap<>();
    private final AtomicLong lastSweep = new AtomicLong(System.nanoTime());

    private record Limits(long memory, long pids, long readAt) {
    }

    /** Where a container's cgroup lives ({@code dir}: v1's memory folder, or v2's unified one), and its open files. */
    private record Located(boolean v1, Path dir, CounterFiles files) {
    }

    public CgroupStatsReader(Path cgroupRoot, Path procRoot) {
        this.cgroupRoot = cgroupRoot;
        this.procRoot = procRoot;
    }

    /** Forgets the cached limits of a container and closes its files (its limits were just changed, or it ended). */
    public void invalidate(String containerId) {
        limits.remove(containerId);
        Located l = located.remove(containerId);
        if (l != null) {
            l.files().close();
        }
    }

    /** How many containers have files open (for tests). */
    int openContainers() {
        return located.size();
    }

    /** The counters, or empty when this container's cgroup files cannot be read from here. */
    public Optional<ContainerStats> read(String containerId, long pid) {
        closeIdle();
        try {
            Located l = located.get(containerId);
            if (l == null) {
                Optional<Located> found = locate(containerId);
                if (found.isEmpty()) {
                    return Optional.empty();
                }
                l = found.get();
                Located raced = located.putIfAbsent(containerId, l);
                if (raced != null) {
                    l.files().close();
                    l = raced;
                }
            }
            return Optional.of(l.v1() ? readV1(containerId, l, pid) : readV2(containerId, l, pid));
        } catch (IOException | RuntimeException e) {
            invalidate(containerId);
            return Optional.empty(); // gone meanwhile, or not readable: the caller falls back
        }
    }

    private Optional<Located> locate(String id) {
        Path v1 = cgroupRoot.resolve("memory/docker").resolve(id);
        if (Files.isDirectory(v1)) {
            return Optional.of(new Located(true, v1, new CounterFiles()));
        }
        for (Path v2 : List.of(cgroupRoot.resolve("system.slice/docker-" + id + ".scope"),
                cgroupRoot.resolve("docker").resolve(id))) {
            if (Files.isRegularFile(v2.resolve("memory.current"))) {
                return Optional.of(new Located(false, v2, new CounterFiles()));
            }
        }
        return Optional.empty();
    }

    /** Closes the files of containers nobody read for {@link #IDLE_NANOS}; runs at most once per that period. */
    private void closeIdle() {
        long now = System.nanoTime();
        long last = lastSweep.get();
        if (now - last < IDLE_NANOS || !lastSweep.compareAndSet(last, now)) {
            return;
        }
        located.forEach((id, l) -> {
            if (now - l.files().lastUsedNanos() > IDLE_NANOS) {
                invalidate(id);
            }
        });
    }

    private Limits limits(String id, CounterFiles f, Path memoryLimit, Path pidsMax) throws IOException {
        long now = System.nanoTime();
        Limits l = limits.get(id);
        if (l == null || now - l.readAt() > LIMITS_TTL_NANOS) {
            l = new Limits(limit(f.read(memoryLimit)), limit(f.read(pidsMax)), now);
            limits.put(id, l);
        }
        return l;
    }

    private ContainerStats readV1(String id, Located where, long pid) throws IOException {
        long nanos = System.nanoTime();
        CounterFiles f = where.files();
        Path mem = where.dir();
        String memStat = f.read(mem.resolve("memory.stat"));
        Path pids = cgroupRoot.resolve("pids/docker").resolve(id);
        long[] io = blkioV1(f.read(cgroupRoot.resolve("blkio/docker").resolve(id)
                .resolve("blkio.throttle.io_service_bytes_recursive")));
        long[] net = netDev(f, pid);
        Limits l = limits(id, f, mem.resolve("memory.limit_in_bytes"), pids.resolve("pids.max"));
        long inactive = value(memStat, "total_inactive_file");
        return new ContainerStats("cgroup-v1", Instant.now(), nanos,
                number(f.read(mem.resolve("memory.usage_in_bytes"))),
                inactive >= 0 ? inactive : Math.max(0, value(memStat, "inactive_file")),
                l.memory(),
                number(f.read(mem.resolve("memory.failcnt"))),
                number(f.read(cgroupRoot.resolve("cpuacct/docker").resolve(id).resolve("cpuacct.usage"))),
                Math.max(0, value(f.read(cgroupRoot.resolve("cpu/docker").resolve(id).resolve("cpu.stat")), "nr_throttled")),
                number(f.read(pids.resolve("pids.current"))),
                l.pids(),
                net[0], net[1], io[0], io[1]);
    }

    private ContainerStats readV2(String id, Located where, long pid) throws IOException {
        long nanos = System.nanoTime();
        CounterFiles f = where.files();
        Path dir = where.dir();
        String cpuStat = f.read(dir.resolve("cpu.stat"));
        long[] io = ioStatV2(readOr(f, dir.resolve("io.stat")));
        long[] net = netDev(f, pid);
        Limits l = limits(id, f, dir.resolve("memory.max"), dir.resolve("pids.max"));
        return new ContainerStats("cgroup-v2", Instant.now(), nanos,
                number(f.read(dir.resolve("memory.current"))),
                Math.max(0, value(f.read(dir.resolve("memory.stat")), "inactive_file")),
                l.memory(),
                Math.max(0, value(readOr(f, dir.resolve("memory.events")), "max")),
                Math.max(0, value(cpuStat, "usage_usec")) * 1_000,
                Math.max(0, value(cpuStat, "nr_throttled")),
                number(f.read(dir.resolve("pids.current"))),
                l.pids(),
                net[0], net[1], io[0], io[1]);
    }

    private long[] netDev(CounterFiles f, long pid) throws IOException {
        if (pid <= 0) {
            return new long[] {0, 0};
        }
        return netDev(f.read(procRoot.resolve(Long.toString(pid)).resolve("net/dev")));
    }

    private static String readOr(CounterFiles f, Path file) throws IOException {
        try {
            return f.read(file);
        } catch (NoSuchFileException e) {
            return "";
        }
    }

    /** The number after {@code key} on the line that starts with {@code key} and a space; -1 when there is none. */
    static long value(String text, String key) {
        int from = 0;
        while (true) {
            int at = text.indexOf(key, from);
            if (at < 0) {
                return -1;
            }
            int after = at + key.length();
            if ((at == 0 || text.charAt(at - 1) == '\n') && after < text.length() && text.charAt(after) == ' ') {
                int end = text.indexOf('\n', after);
                try {
                    return Long.parseLong(text.substring(after + 1, end < 0 ? text.length() : end).trim());
                } catch (NumberFormatException e) {
                    return -1;
                }
            }
            from = after;
        }
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
