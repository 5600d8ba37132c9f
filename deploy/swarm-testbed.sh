#!/usr/bin/env bash
# swarm-testbed.sh up|down|check|env — a three-node Docker Swarm on this one machine for the cluster tests
# (plugins scheduled across a swarm), without touching the machine's default engine or its containers.
#
#   up     start engines manager, worker1 and worker2 (each its own dockerd, data root /var/lib/logomesh-swarm-<node>,
#          exec root /run/logomesh-swarm-<node>, socket /run/logomesh-swarm-<node>.sock, log
#          /var/log/logomesh-swarm-<node>.log, network namespace logomesh-swarm-<node>), wire them to one bridge in
#          namespace logomesh-swarm-link (10.252.0.0/24: manager .2, worker1 .3, worker2 .4; the root namespace's leg
#          lmsw-ctl is 10.252.0.1, the control plane's address), init the swarm on the manager (drained: it runs
#          no task), join the workers, copy the runtime images into both workers (from SOURCE_DOCKER_HOST, else
#          DOCKER_HOST, else the default socket; IMAGES overrides which) and print the env lines. Already up and
#          healthy: prints the env lines only. Up but not healthy (a half-done earlier run): taken down first.
#   down   remove everything up made (services, engines and their containers, namespaces, veths, bridge, mounts,
#          sockets, pid files, config files, data roots, logs); safe when up failed half-way or never ran
#   check  list whatever of the testbed is still there; exit 1 if anything is, 0 if clean
#   env    print MANAGER_HOST, WORKER1_HOST, WORKER2_HOST, CONTROL_PLANE_ADDR (and IMAGE_ID_<image> when worker1 is up)
#   cut NODE   take a worker's link down (its eth0): the swarm loses it as it would a machine whose network failed
#   mend NODE  bring it back
#
# Services must name images by id (IMAGE_ID_* lines, sha256:…): a worker then never tries to pull. Needs root,
# dockerd, iproute2 and nsenter/unshare. iptables off and no masquerading, in every engine; there is no default
# route anywhere, so nothing in the testbed has a way out. NOFILE (default 256, logomesh.limits.nofile's
# default) sets the workers' default nofile ulimit, TMPFS_MB (default 16, logomesh.limits.tmpfs-mb's) their /dev/shm.
set -euo pipefail
cmd=${1:?usage: swarm-testbed.sh up|down|check|env|cut NODE|mend NODE}
repo=$(cd "$(dirname "$0")/.." && pwd)
nodes=(manager worker1 worker2)
workers=(worker1 worker2)
declare -A addr=([manager]=10.252.0.2 [worker1]=10.252.0.3 [worker2]=10.252.0.4)
# each engine's local pool (docker_gwbridge and other local networks), and the swarm's overlay pool (ingress):
# none overlaps test-engine.sh (10.250.x.0/24, 10.251.0.0/16), Docker's 172.17.0.0/16 or the link 10.252.0.0/24
declare -A pool=([manager]=10.253.0.0/20 [worker1]=10.253.16.0/20 [worker2]=10.253.32.0/20)
overlay_pool=10.253.128.0/20
control_plane=10.252.0.1
link_ns=logomesh-swarm-link
br=lmsw-br            # the bridge, inside $link_ns
ctl_leg=lmsw-ctl      # the root namespace's leg (its peer in $link_ns is lmsw-ctl-br)
source_host=${SOURCE_DOCKER_HOST:-${DOCKER_HOST:-unix:///var/run/docker.sock}}
images=${IMAGES:-logomesh-runtime-nodejs:latest logomesh-runtime-python:latest logomesh-runtime-wasm:latest logomesh-base:bookworm}
nofile=${NOFILE:-256}
tmpfs_mb=${TMPFS_MB:-16}

base() { echo "logomesh-swarm-$1"; }
sock() { echo "/run/$(base "$1").sock"; }
dk() { local node=$1; shift; timeout 30 docker -H "unix://$(sock "$node")" "$@"; }
answers() { dk "$1" info >/dev/null 2>&1; }

print_env() {
  for node in "${nodes[@]}"; do echo "${node^^}_HOST=unix://$(sock "$node")"; done
  echo "CONTROL_PLANE_ADDR=$control_plane"
  if answers worker1; then
    for image in $images; do
      id=$(dk worker1 image inspect --format '{{.Id}}' "$image" 2>/dev/null) || continue
      name=${image^^}; echo "IMAGE_ID_${name//[^A-Z0-9]/_}=$id"
    done
  fi
}

# Both workers Ready/Active, the manager drained, the images on both workers.
healthy() {
  local node
  for node in "${nodes[@]}"; do answers "$node" || return 1; done
  [ "$(dk manager info --format '{{.Swarm.ControlAvailable}}' 2>/dev/null)" = true ] || return 1
  [ "$(dk manager node ls --filter role=worker --format '{{.Status}}/{{.Availability}}' 2>/dev/null | grep -c '^Ready/Active$')" = 2 ] || return 1
  for node in "${workers[@]}"; do
    for image in $images; do dk "$node" image inspect "$image" >/dev/null 2>&1 || return 1; done
  done
}

# The daemon config of a node (written to /run/logomesh-swarm-<node>.json, passed with --config-file so that
# /etc/docker/daemon.json is never read). Every engine: iptables and masquerading off, its own address pool,
# bounded json-file logs. The workers also get the lockdown defaults that a service spec on API 1.41 (Engine
# 20.10) cannot carry; each one closes a gap:
#   no-new-privileges: true     the service spec has no NoNewPrivileges before API 1.44
#   seccomp-profile             nor a seccomp profile (Privileges.Seccomp) before API 1.44: the project's
#                               src/main/resources/seccomp/plugin.json (the default profile without ptrace, io_uring)
#   bridge: none                a service cannot ask for `--network none` (moby#44403); without a default bridge
#                               a task on no network gets only `lo`
#   default-ipc-mode: private   the spec has no IpcMode: no /dev/shm shared with anything
#   default-shm-size            nor ShmSize: /dev/shm no larger than /tmp (logomesh.limits.tmpfs-mb's default,
#                               TMPFS_MB), as LockdownHostConfig sets it on a single host, not the engine's 64 MiB
#   default-ulimits             nofile as the host sets it (logomesh.limits.nofile, soft = hard) and core 0:0
#                               (no core dumps): a floor for a spec without Ulimits (the spec can carry them from
#                               API 1.41: `service create --ulimit nofile=100:100` took effect on 20.10)
#   log-driver/log-opts         a plugin cannot fill the worker's disk through its log (1m x 2 files)
# Not closed here: memory+swap (MemorySwap is not in the spec before API 1.52). Swap is off on this machine, and
# the node agent writes memory.memsw.limit_in_bytes itself (CgroupLimits: cgroup v1, memory/docker/<id>; every
# engine keeps the default cgroup parent /docker, container ids keep the engines' cgroups apart).
write_config() {
  local node=$1 lockdown=""
  if [ "$node" != manager ]; then
    lockdown=$(cat <<EOF
  "no-new-privileges": true,
  "seccomp-profile": "$repo/src/main/resources/seccomp/plugin.json",
  "default-ipc-mode": "private",
  "default-shm-size": "${tmpfs_mb}M",
  "default-ulimits": {
    "nofile": {"Name": "nofile", "Soft": $nofile, "Hard": $nofile},
    "core": {"Name": "core", "Soft": 0, "Hard": 0}
  },
EOF
)
  fi
  cat >"/run/$(base "$node").json" <<EOF
{
$lockdown
  "bridge": "none",
  "iptables": false,
  "ip-masq": false,
  "default-address-pools": [{"base": "${pool[$node]}", "size": 24}],
  "log-driver": "json-file",
  "log-opts": {"max-size": "1m", "max-file": "2"}
}
EOF
}

# Pids of the testbed's processes: whatever runs in its namespaces, and any dockerd/containerd/shim whose command
# line names one of its roots (a shim outlives a killed containerd; a container's process has its own namespace).
testbed_pids() {
  local ns p cmdline
  for ns in "${nodes[@]/#/logomesh-swarm-}" "$link_ns"; do
    [ -e "/var/run/netns/$ns" ] && ip netns pids "$ns" 2>/dev/null
  done
  for p in /proc/[0-9]*; do
    cmdline=$( { tr '\0' ' ' <"$p/cmdline"; } 2>/dev/null) || continue
    case ${cmdline%% *} in
      dockerd|*/dockerd|containerd|*/containerd|containerd-shim*|*/containerd-shim*)
        [[ $cmdline == *" /run/logomesh-swarm-"* || $cmdline == *" /var/lib/logomesh-swarm-"* ]] && echo "${p#/proc/}" ;;
    esac
  done
  return 0
}

# A dockerd: SIGTERM (it stops its containers), a bounded wait, then SIGKILL.
stop_daemon() {
  local pidfile=/run/$(base "$1").pid pid
  [ -f "$pidfile" ] || return 0
  pid=$(cat "$pidfile")
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
  kill -9 "$pid" 2>/dev/null || true
  rm -f "$pidfile"
}

down() {
  local node ids pid root
  if answers manager; then
    ids=$(dk manager service ls -q 2>/dev/null) || ids=""
    [ -z "$ids" ] || dk manager service rm $ids >/dev/null 2>&1 || true
  fi
  local jobs=()
  for node in "${workers[@]}"; do
    answers "$node" || continue
    { ids=$(dk "$node" ps -aq) || ids=""
      [ -z "$ids" ] || dk "$node" rm -f $ids >/dev/null 2>&1 || true
      dk "$node" swarm leave --force >/dev/null 2>&1 || true; } &
    jobs+=($!)
  done
  for pid in "${jobs[@]}"; do wait "$pid" || true; done
  answers manager && { dk manager swarm leave --force >/dev/null 2>&1 || true; }
  jobs=()
  for node in "${nodes[@]}"; do stop_daemon "$node" & jobs+=($!); done
  for pid in "${jobs[@]}"; do wait "$pid" || true; done
  # leftovers (a dockerd without pid file, an orphaned containerd or shim): the shims' children first
  for pid in $(testbed_pids); do
    pgrep -P "$pid" | xargs -r kill -9 2>/dev/null || true
    kill -9 "$pid" 2>/dev/null || true
  done
  for node in "${nodes[@]}"; do
    # a killed dockerd leaves mounts at and below its roots (the data root bound onto itself, overlay layers, shm,
    # container namespaces); unmount them, deepest first, before removing
    for root in "/run/$(base "$node")" "/var/lib/$(base "$node")"; do
      awk -v r="$root" '$5 == r || index($5, r "/") == 1 {print $5}' /proc/self/mountinfo | sort -r |
        xargs -r -n1 umount -l 2>/dev/null || true
      rm -rf "$root" || echo "could not remove $root" >&2
    done
    rm -f "$(sock "$node")" "/run/$(base "$node").pid" "/run/$(base "$node").json" "/var/log/$(base "$node").log"
    [ -e "/var/run/netns/$(base "$node")" ] && ip netns delete "$(base "$node")" || true # its veth end goes with it
  done
  [ -e "/var/run/netns/$link_ns" ] && ip netns delete "$link_ns" || true # the bridge and the other veth ends with it
  ip link show "$ctl_leg" >/dev/null 2>&1 && ip link delete "$ctl_leg" || true
}

check() {
  local found=() node root pid cmdline
  # A process that ends between the listing and this read is gone, not left behind.
  for pid in $(testbed_pids | sort -un); do
    cmdline=$( { tr '\0' ' ' </proc/"$pid"/cmdline; } 2>/dev/null) || continue
    [ -n "$cmdline" ] && found+=("process $pid: ${cmdline:0:120}")
  done
  for node in "${nodes[@]}"; do
    for path in "$(sock "$node")" "/run/$(base "$node").pid" "/run/$(base "$node").json" "/var/log/$(base "$node").log" \
                "/run/$(base "$node")" "/var/lib/$(base "$node")" "/var/run/netns/$(base "$node")"; do
      [ -e "$path" ] && found+=("path $path")
    done
  done
  [ -e "/var/run/netns/$link_ns" ] && found+=("netns $link_ns")
  while read -r link; do found+=("link $link"); done < <(ip -o link show | awk -F': ' '{print $2}' | grep '^lmsw-' || true)
  while read -r mnt; do found+=("mount $mnt"); done < <(awk '{print $5}' /proc/self/mountinfo | grep -E '^(/var/lib|/run|/var/run)/logomesh-swarm-|^/(var/)?run/netns/logomesh-swarm-' || true)
  ip -o addr show | grep -q " $control_plane/" && found+=("address $control_plane in the root namespace")
  if [ ${#found[@]} -gt 0 ]; then printf '%s\n' "${found[@]}"; return 1; fi
  echo "clean"
}

up() {
  [ "$(id -u)" = 0 ] || { echo "swarm-testbed.sh needs root (it runs dockerd)" >&2; exit 1; }
  command -v dockerd >/dev/null || { echo "dockerd is not installed" >&2; exit 1; }
  if healthy; then print_env; exit 0; fi
  for image in $images; do
    docker -H "$source_host" image inspect "$image" >/dev/null 2>&1 || { echo "$image is not on $source_host" >&2; exit 1; }
  done
  down # whatever an earlier, failed run left
  # the link: a bridge in a namespace of its own, one veth leg per node (eth0 in the node's namespace) and one
  # from the root namespace. Created inside $link_ns, so no interface of the nodes' appears in the root namespace.
  ip netns add "$link_ns"
  ip -n "$link_ns" link set lo up
  ip -n "$link_ns" link add "$br" type bridge
  ip -n "$link_ns" link set "$br" up
  ip link add "$ctl_leg" type veth peer name lmsw-ctl-br netns "$link_ns"
  ip -n "$link_ns" link set lmsw-ctl-br master "$br" up
  ip addr add "$control_plane/24" dev "$ctl_leg"
  ip link set "$ctl_leg" up
  for node in "${nodes[@]}"; do
    ns=$(base "$node")
    ip netns add "$ns"
    ip -n "$ns" link set lo up
    ip -n "$link_ns" link add "lmsw-$node" type veth peer name eth0 netns "$ns"
    ip -n "$link_ns" link set "lmsw-$node" master "$br" up
    ip -n "$ns" addr add "${addr[$node]}/24" dev eth0
    ip -n "$ns" link set eth0 up
    mkdir -p "/var/lib/$ns" "/run/$ns"
    write_config "$node"
    # nsenter, not `ip netns exec` (which remounts /sys and hides the cgroups from dockerd); a UTS namespace of
    # its own so that `docker node ls` tells the nodes apart by hostname
    nohup nsenter --net="/var/run/netns/$ns" unshare --uts sh -c 'hostname "$0" && exec dockerd "$@"' "$ns" \
      --config-file "/run/$ns.json" --data-root "/var/lib/$ns" --exec-root "/run/$ns" -H "unix://$(sock "$node")" \
      --pidfile "/run/$ns.pid" >>"/var/log/$ns.log" 2>&1 &
  done
  for node in "${nodes[@]}"; do
    for _ in $(seq 120); do answers "$node" && break; sleep 0.25; done
    answers "$node" || { echo "engine $node did not start; see /var/log/$(base "$node").log:" >&2
                         tail -20 "/var/log/$(base "$node").log" >&2; exit 1; }
  done
  # the images: copied in the background while the swarm forms
  loaders=()
  for node in "${workers[@]}"; do
    missing=()
    for image in $images; do dk "$node" image inspect "$image" >/dev/null 2>&1 || missing+=("$image"); done
    [ ${#missing[@]} -eq 0 ] || { docker -H "$source_host" save "${missing[@]}" | docker -H "unix://$(sock "$node")" load -q >/dev/null; } &
    loaders+=($!)
  done
  # a 2 s heartbeat: a lost worker is marked down (and its tasks rescheduled) within seconds, not after 15 s
  dk manager swarm init --advertise-addr "${addr[manager]}" --listen-addr "${addr[manager]}:2377" \
    --default-addr-pool "$overlay_pool" --default-addr-pool-mask-length 24 --dispatcher-heartbeat 2s >/dev/null
  token=$(dk manager swarm join-token -q worker)
  for node in "${workers[@]}"; do
    dk "$node" swarm join --token "$token" --advertise-addr "${addr[$node]}" --listen-addr "${addr[$node]}:2377" \
      "${addr[manager]}:2377" >/dev/null
  done
  for node in "${nodes[@]}"; do
    id=$(dk "$node" info --format '{{.Swarm.NodeID}}')
    dk manager node update --label-add "logomesh.node=$node" "$id" >/dev/null
  done
  dk manager node update --availability drain "$(dk manager info --format '{{.Swarm.NodeID}}')" >/dev/null
  # no routing mesh: with iptables off it could not forward a published port anyway (its NAT and IPVS marks are
  # iptables rules), so a service that publishes one fails at once instead; the nodes drop their ingress sandbox
  echo y | dk manager network rm ingress >/dev/null
  for pid in "${loaders[@]}"; do wait "$pid" || { echo "copying the images into the workers failed" >&2; exit 1; }; done
  for _ in $(seq 120); do healthy && break; sleep 0.25; done
  healthy || { echo "the swarm did not become healthy:" >&2; dk manager node ls >&2 || true; exit 1; }
  print_env
}

case $cmd in
  up) up ;;
  down) down; check >/dev/null || { echo "down left this behind:" >&2; check >&2; exit 1; }; echo "down" ;;
  check) check ;;
  env) print_env ;;
  cut|mend)
    node=${2:?usage: swarm-testbed.sh $cmd worker1|worker2}
    [[ " ${workers[*]} " == *" $node "* ]] || { echo "not a worker: $node" >&2; exit 2; }
    ip -n "$(base "$node")" link set eth0 "$([ "$cmd" = cut ] && echo down || echo up)" ;;
  *) echo "usage: swarm-testbed.sh up|down|check|env|cut NODE|mend NODE" >&2; exit 2 ;;
esac
