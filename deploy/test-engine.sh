#!/usr/bin/env bash
# test-engine.sh start|stop|clean|env NAME — a private Docker engine for tests that must stop and start
# dockerd (EngineRestartIT) without touching the machine's default engine or its containers.
#
#   start  create (first time) and start it: its own data root, exec root, socket, pid file, network namespace and bridge;
#          the runtime images are copied in from the source engine (SOURCE_DOCKER_HOST, else DOCKER_HOST,
#          else the default socket) when missing. Prints DOCKER_HOST=unix://<socket>.
#   stop   stop its dockerd (containers end with it); data and images are kept for the next start
#   clean  stop it and remove everything start made (data root, exec root, socket, network namespace with its bridge, log)
#   env    print DOCKER_HOST=unix://<socket>
#
# Needs root and dockerd. iptables off and no masquerading: nothing it runs has a route out, and the
# machine's firewall rules are left alone. IMAGES overrides which images are copied in.
set -euo pipefail
cmd=${1:?usage: test-engine.sh start|stop|clean|env NAME}
name=${2:?usage: test-engine.sh start|stop|clean|env NAME}
[[ $name =~ ^[a-z0-9-]{1,20}$ ]] || { echo "NAME: 1-20 of a-z, 0-9, '-'" >&2; exit 2; }
base=logomesh-test-$name
sock=/run/$base.sock
pidfile=/run/$base.pid
data=/var/lib/$base
exec_root=/run/$base
log=/var/log/$base.log
# a bridge name is at most 15 characters: lmt + 8 hex digits of the name's hash
br=lmt$(printf '%s' "$name" | sha256sum | cut -c1-8)
octet=$(( 0x$(printf '%s' "$name" | sha256sum | cut -c9-10) % 200 + 20 ))
subnet_gw=10.250.$octet.1/24
pool=10.251.0.0/16
source_host=${SOURCE_DOCKER_HOST:-${DOCKER_HOST:-unix:///var/run/docker.sock}}
images=${IMAGES:-logomesh-runtime-nodejs:latest logomesh-runtime-python:latest logomesh-runtime-wasm:latest logomesh-base:bookworm}

answers() { docker -H "unix://$sock" info >/dev/null 2>&1; }

stop_daemon() {
  if [ -f "$pidfile" ]; then
    pid=$(cat "$pidfile")
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -9 "$pid" 2>/dev/null || true
    rm -f "$pidfile"
  fi
}

case $cmd in
  start)
    [ "$(id -u)" = 0 ] || { echo "test-engine.sh needs root (it runs dockerd)" >&2; exit 1; }
    command -v dockerd >/dev/null || { echo "dockerd is not installed" >&2; exit 1; }
    if answers; then echo "DOCKER_HOST=unix://$sock"; exit 0; fi
    # its own network namespace: a dockerd restarted in the host's namespace removes the host engine's docker0
    # (seen with Engine 20.10), and nothing of the test engine's networking should touch the host's anyway
    [ -e "/var/run/netns/$base" ] || ip netns add "$base"
    ip -n "$base" link set lo up
    ip -n "$base" link show "$br" >/dev/null 2>&1 || { ip -n "$base" link add "$br" type bridge
                                                       ip -n "$base" addr add "$subnet_gw" dev "$br"; }
    ip -n "$base" link set "$br" up
    mkdir -p "$data" "$exec_root"
    # nsenter, not `ip netns exec` (which remounts /sys and hides the cgroups from dockerd)
    nohup nsenter --net="/var/run/netns/$base" dockerd --data-root "$data" --exec-root "$exec_root" -H "unix://$sock" --pidfile "$pidfile" \
      --bridge="$br" --iptables=false --ip-masq=false --default-address-pool "base=$pool,size=24" \
      >>"$log" 2>&1 &
    for _ in $(seq 120); do answers && break; sleep 0.5; done
    answers || { echo "the test engine did not start; see $log" >&2; exit 1; }
    missing=()
    for image in $images; do
      docker -H "unix://$sock" image inspect "$image" >/dev/null 2>&1 || missing+=("$image")
    done
    if [ ${#missing[@]} -gt 0 ]; then
      docker -H "$source_host" save "${missing[@]}" | docker -H "unix://$sock" load -q >/dev/null
    fi
    echo "DOCKER_HOST=unix://$sock" ;;
  stop)
    stop_daemon
    echo "stopped" ;;
  clean)
    if answers; then
      ids=$(docker -H "unix://$sock" ps -aq)
      [ -z "$ids" ] || docker -H "unix://$sock" rm -f $ids >/dev/null 2>&1 || true
    fi
    stop_daemon
    # dockerd may leave mounts below its roots (overlay layers, netns); unmount before removing
    for root in "$exec_root" "$data"; do
      if [ -d "$root" ]; then
        grep -F " $root/" /proc/self/mountinfo | awk '{print $5}' | sort -r | xargs -r -n1 umount -l 2>/dev/null || true
        rm -rf "$root"
      fi
    done
    rm -f "$sock" "$log"
    [ -e "/var/run/netns/$base" ] && ip netns delete "$base" || true # its bridge goes with it
    echo "cleaned" ;;
  env) echo "DOCKER_HOST=unix://$sock" ;;
  *) echo "usage: test-engine.sh start|stop|clean|env NAME" >&2; exit 2 ;;
esac
