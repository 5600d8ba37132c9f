#!/usr/bin/env bash
# Makes sure a Docker engine answers. On Debian as root it installs docker.io and
# starts dockerd when none runs (saying so); elsewhere it stops with one line.
set -euo pipefail

if docker info >/dev/null 2>&1; then
    exit 0
fi
if [ "$(id -u)" != "0" ] || [ ! -f /etc/debian_version ]; then
    echo "No Docker engine answers; start one (this script installs it only on Debian as root)." >&2
    exit 1
fi
if ! command -v dockerd >/dev/null 2>&1; then
    echo "==> No Docker engine: installing docker.io from Debian's packages"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker.io >/dev/null
fi
echo "==> Starting dockerd in the background (log: /var/log/dockerd.log)"
nohup dockerd >/var/log/dockerd.log 2>&1 &
for _ in $(seq 1 60); do
    if docker info >/dev/null 2>&1; then
        echo "==> Docker engine $(docker version --format '{{.Server.Version}}') is up"
        exit 0
    fi
    sleep 1
done
echo "dockerd did not come up within 60 s; see /var/log/dockerd.log" >&2
exit 1
