#!/usr/bin/env bash
# sdk/tools/tsc.sh [tsc arguments]: the repository's pinned TypeScript compiler (package-lock.json here),
# installed on first use into sdk/tools/node_modules (git-ignored) with `npm ci` from the npm registry.
# Adds --typeRoots for the pinned @types/node, so a plugin folder anywhere compiles without its own
# node_modules. Used by `make plugin ... LANG=typescript` and the SDK type test.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
"$here/ensure.sh"
exec node "$here/node_modules/typescript/bin/tsc" --typeRoots "$here/node_modules/@types" "$@"
