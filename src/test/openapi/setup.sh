#!/usr/bin/env bash
# Prepares the outside checks of /q/openapi (OpenApiLintTest, GeneratedClientTest); run by `make test`
# (target api-tools). Installs the pinned @redocly/cli, openapi-typescript, openapi-fetch and typescript
# (package-lock.json) into src/test/openapi/node_modules (git-ignored) with `npm ci`, using Node.js >= 20.19:
# the one on PATH, else the one src/test/browser/setup.sh chose. Writes its path to target/openapi-test/node-bin.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
out=$root/target/openapi-test
mkdir -p "$out"
log() { echo "[openapi-test] $*"; }

node_ok() { "$1" -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>20||(a===20&&b>=19)?0:1)' 2>/dev/null; }
node=$(command -v node || true)
if [[ -z $node ]] || ! node_ok "$node"; then
    node=$(cat "$root/target/browser-test/node-bin" 2>/dev/null || true)
fi
if [[ -z $node ]] || ! node_ok "$node"; then
    echo "[openapi-test] need Node.js >= 20.19 (for @redocly/cli): none on PATH; run make browser-deps or install nodejs" >&2
    exit 1
fi
command -v npm >/dev/null || { echo "[openapi-test] npm is missing (Debian: apt-get install npm)" >&2; exit 1; }
echo "$node" >"$out/node-bin"
log "node: $node ($("$node" --version))"

stamp=$here/node_modules/.lock-sha256
want=$(sha256sum "$here/package-lock.json" | cut -d' ' -f1)
if [[ ! -f $stamp || $(cat "$stamp") != "$want" ]]; then
    log "installing the pinned tools (npm ci)"
    (cd "$here" && PATH="$(dirname "$node"):$PATH" npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)
    echo "$want" >"$stamp"
fi
log "tools ready: $(cd "$here" && "$node" -e 'const l=require("./package-lock.json").packages; console.log(["@redocly/cli","openapi-typescript","openapi-fetch","typescript"].map(p=>p+"@"+l["node_modules/"+p].version).join(" "))')"
