#!/usr/bin/env bash
# Usage: deploy/ensure-tool.sh COMMAND PACKAGE [WHAT]
# Makes sure COMMAND is on the PATH. On Debian as root it installs Debian's PACKAGE when the
# command is missing (saying so); elsewhere it stops with one line. Used for wat2wasm (wabt: the
# WebAssembly examples and fixtures are compiled from .wat) and wrk (make bench's load section).
set -euo pipefail

cmd=${1:?usage: ensure-tool.sh COMMAND PACKAGE [WHAT]}
pkg=${2:?usage: ensure-tool.sh COMMAND PACKAGE [WHAT]}
what=${3:-$cmd}

if command -v "$cmd" >/dev/null 2>&1; then
    exit 0
fi
if [ "$(id -u)" != "0" ] || [ ! -f /etc/debian_version ]; then
    echo "$cmd is missing; install $what (Debian/Ubuntu: apt-get install $pkg)." >&2
    exit 1
fi
echo "==> $cmd is missing: installing $pkg from Debian's packages"
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$pkg" >/dev/null
