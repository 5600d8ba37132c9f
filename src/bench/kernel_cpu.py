"""CPU time as the kernel accounts it, for the benchmarks: a container's cgroup."""
import os


def container_cpu_seconds(cid):
    """CPU time a container's processes used so far, from its cgroup (cgroup v1 cpuacct or v2 cpu.stat); 0 when
    the cgroup is gone."""
    v1 = f"/sys/fs/cgroup/cpuacct/docker/{cid}/cpuacct.usage"
    if os.path.exists(v1):
        with open(v1) as f:
            return int(f.read()) / 1e9
    for path in (f"/sys/fs/cgroup/system.slice/docker-{cid}.scope/cpu.stat", f"/sys/fs/cgroup/docker/{cid}/cpu.stat"):
        if os.path.exists(path):
            with open(path) as f:
                stat = dict(line.split() for line in f)
            return int(stat["usage_usec"]) / 1e6
    return 0.0
