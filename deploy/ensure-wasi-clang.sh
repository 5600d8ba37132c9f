#!/usr/bin/env bash
# C for WebAssembly plugins (plugins/hello-c, runtime-images/wasm/logomesh.h): Debian's clang, lld (wasm-ld),
# wasi-libc and the wasm32 compiler-rt builtins. Installs the missing ones on Debian as root (like
# ensure-tool.sh); elsewhere stops with one line.
set -euo pipefail
missing=()
command -v clang >/dev/null 2>&1 || missing+=(clang)
command -v wasm-ld >/dev/null 2>&1 || missing+=(lld)
[[ -f /usr/lib/wasm32-wasi/crt1-reactor.o ]] || missing+=(wasi-libc)
compgen -G "/usr/lib/llvm-*/lib/clang/*/lib/wasi/libclang_rt.builtins-wasm32.a" >/dev/null || missing+=(libclang-rt-dev-wasm32)
((${#missing[@]})) || exit 0
if [ "$(id -u)" != "0" ] || [ ! -f /etc/debian_version ]; then
    echo "C for WebAssembly needs ${missing[*]} (Debian/Ubuntu: apt-get install clang lld wasi-libc libclang-rt-dev-wasm32)." >&2
    exit 1
fi
echo "==> installing ${missing[*]} from Debian's packages (C for WebAssembly)"
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
