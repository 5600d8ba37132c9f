package io.logomesh.host.container.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.BlkioStatEntry;
import com.github.dockerjava.api.model.MemoryStatsConfig;
import com.github.dockerjava.api.model.StatisticNetworksConfig;
import com.github.dockerjava.api.model.Statistics;
import io.logomesh.host.config.HostConfig;
import io.logomesh.host.container.CgroupStatsReader;
import io.logomesh.host.container.ContainerStats;
import io.logomesh.host.container.StatsSource;
import io.logomesh.host.container.StatsUnavailableException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Typed;
import jakarta.inject.Inject;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Reads container counters from the cgroup files when this process can see them (the host runs on the
 * engine's machine), else from the engine's stats API (one sample, no stream; slow: the engine waits for
 * a second CPU reading). Each reading says which source it came from.
 */
@ApplicationScoped
@Typed(DockerStatsSource.class)
public class DockerStatsSource implements StatsSource {

    private final DockerClient docker;
    private final CgroupStatsReader cgroups;
    private final Map<String, Long> initPids = new ConcurrentHashMap<>();

    @Inject
    public DockerStatsSource(DockerClient docker, HostConfig config) {
        this.docker = docker;
        this.cgroups = new CgroupStatsReader(Path.of(config.monitor().cgroupRoot()),
                Path.of(config.monitor().procRoot()));
    }

    @Override
    public ContainerStats read(String containerId) {
        Optional<ContainerStats> fromKernel = cgroups.read(containerId, initPid(containerId));
        return fromKernel.orElseGet(() -> fromEngine(containerId));
    }

    @Override
    public void forget(String containerId) {
        initPids.remove(containerId);
        cgroups.invalidate(containerId);
    }

    private long initPid(String containerId) {
        return initPids.computeIfAbsent(containerId, id -> {
            try {
                Long pid = docker.inspectContainerCmd(id).exec().getState().getPidLong();
                return pid == null ? 0L : pid;
            } catch (RuntimeException e) {
                return 0L;
            }
        });
    }

    private ContainerStats fromEngine(String containerId) {
        Statistics s;
        try (StatsCallback callback = docker.statsCmd(containerId).withNoStream(true).exec(new StatsCallback())) {
            s = callback.await();
        } catch (NotFoundException e) {
            throw new StatsUnavailableException("container " + containerId + " is gone", e);
        } catch (StatsUnavailableException e) {
            throw e;
        } catch (Exception e) {
            throw new StatsUnavailableException("the engine did not give stats for " + containerId + ": "
                    + e.getMessage(), e);
        }
        return toStats(s);
    }

    static ContainerStats toStats(Statistics s) {
        long nanos = System.nanoTime();
        MemoryStatsConfig mem = s.getMemoryStats();
        long usage = mem == null || mem.getUsage() == null ? 0 : mem.getUsage();
        long inactive = 0;
        if (mem != null && mem.getStats() != null) {
            Long v1 = mem.getStats().getTotalInactiveFile();
            Long v2 = mem.getStats().getInactiveFile();
            inactive = v1 != null ? v1 : v2 != null ? v2 : 0;
        }
        long rx = 0;
        long tx = 0;
        if (s.getNetworks() != null) {
            for (StatisticNetworksConfig n : s.getNetworks().values()) {
                rx += orZero(n.getRxBytes());
                tx += orZero(n.getTxBytes());
            }
        }
        long read = 0;
        long write = 0;
        if (s.getBlkioStats() != null && s.getBlkioStats().getIoServiceBytesRecursive() != null) {
            List<BlkioStatEntry> entries = s.getBlkioStats().getIoServiceBytesRecursive();
            for (BlkioStatEntry e : entries) {
                if ("read".equalsIgnoreCase(e.getOp())) {
                    read += orZero(e.getValue());
                } else if ("write".equalsIgnoreCase(e.getOp())) {
                    write += orZero(e.getValue());
                }
            }
        }
        long cpu = s.getCpuStats() == null || s.getCpuStats().getCpuUsage() == null ? 0
                : orZero(s.getCpuStats().getCpuUsage().getTotalUsage());
        long throttled = s.getCpuStats() == null || s.getCpuStats().getThrottlingData() == null ? 0
                : orZero(s.getCpuStats().getThrottlingData().getThrottledPeriods());
        long pids = s.getPidsStats() == null ? 0 : orZero(s.getPidsStats().getCurrent());
        return new ContainerStats("docker-api", Instant.now(), nanos, usage, inactive,
                mem == null ? 0 : orZero(mem.getLimit()), mem == null ? 0 : orZero(mem.getFailcnt()),
                cpu, throttled, pids, 0, rx, tx, read, write);
    }

    private static long orZero(Long v) {
        return v == null ? 0 : v;
    }

    /** Collects the one sample a non-streamed stats call sends. */
    private static final class StatsCallback extends ResultCallback.Adapter<Statistics> {
        private volatile Statistics first;

        @Override
        public void onNext(Statistics s) {
            if (first == null) {
                first = s;
            }
        }

        Statistics await() throws InterruptedException {
            if (!awaitCompletion(10, TimeUnit.SECONDS) && first == null) {
                throw new StatsUnavailableException("the engine gave no stats within 10 s");
            }
            if (first == null) {
                throw new StatsUnavailableException("the engine gave no stats");
            }
            return first;
        }
    }
}
