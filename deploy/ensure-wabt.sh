#!/usr/bin/env bash
# Makes sure wat2wasm (WABT, the WebAssembly Binary Toolkit) is installed: it compiles the
# WebAssembly example plugins and test fixtures from their .wat sources. On Debian as root it
# installs Debian's `wabt` package when missing (saying so); elsewhere it stops with one line.
set -euo pipefail

if command -v wat2wasm >/dev/null 2>&1; then
    exit 0
fi
if [ "$(id -u)" != "0" ] || [ ! -f /etc/debian_version ]; then
    echo "wat2wasm is missing; install WABT (Debian/Ubuntu: apt-get install wabt)." >&2
    exit 1
fi
echo "==> wat2wasm is missing: installing wabt from Debian's packages"
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wabt >/dev/null
