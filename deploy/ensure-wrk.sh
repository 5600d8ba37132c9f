#!/usr/bin/env bash
# Makes sure wrk (the HTTP load generator, compiled; Debian's package) is installed: `make bench`'s
# load section drives the service with it. On Debian as root it installs Debian's `wrk` package
# when missing (saying so); elsewhere it stops with one line.
set -euo pipefail

if command -v wrk >/dev/null 2>&1; then
    exit 0
fi
if [ "$(id -u)" != "0" ] || [ ! -f /etc/debian_version ]; then
    echo "wrk is missing; install it (Debian/Ubuntu: apt-get install wrk)." >&2
    exit 1
fi
echo "==> wrk is missing: installing wrk from Debian's packages"
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null
