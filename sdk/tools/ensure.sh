#!/usr/bin/env bash
# Installs the SDK's pinned npm tools (typescript, @types/node; package-lock.json) into
# sdk/tools/node_modules when they are missing or not the pinned versions. Needs node and npm.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
command -v node >/dev/null || { echo "sdk/tools: Node.js is missing (Debian: apt-get install nodejs npm)" >&2; exit 1; }
want=$(node -e 'console.log(require(process.argv[1]).packages["node_modules/typescript"].version)' "$here/package-lock.json")
have=$(node -e 'try { console.log(require(process.argv[1]).version) } catch { console.log("") }' \
    "$here/node_modules/typescript/package.json")
if [[ $want != "$have" ]]; then
    command -v npm >/dev/null || { echo "sdk/tools: npm is missing (Debian: apt-get install npm)" >&2; exit 1; }
    echo "[sdk] installing typescript $want (npm ci, pinned)" >&2
    (cd "$here" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error >&2)
fi
