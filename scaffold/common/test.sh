#!/usr/bin/env bash
# Installs this plugin into a running LogoMesh host under the id "<id>-test" (so an installed
# copy is left alone), activates it, checks that `echo` returns its payload, and uninstalls it.
# Host: LOGOMESH_URL (default http://127.0.0.1:8080); token: LOGOMESH_API_TOKEN or
# LOGOMESH_DATA_DIR/api-token. CLI: LOGOMESH_CLI, else bin/logomesh of this repository, else `logomesh`.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cli=${LOGOMESH_CLI:-}
if [[ -z $cli ]]; then
    for c in "$here/../../bin/logomesh" "$(command -v logomesh || true)"; do
        [[ -n $c && -x $c ]] && { cli=$c; break; }
    done
fi
[[ -n $cli ]] || { echo "FAIL: no logomesh CLI found (set LOGOMESH_CLI)" >&2; exit 1; }

id=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["id"])' "$here/manifest.json")-test
work=$(mktemp -d)
trap 'python3 "$cli" -q uninstall "$id" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
cp -r "$here/." "$work/"
python3 - "$work/manifest.json" "$id" <<'PY'
import json, sys
m = json.load(open(sys.argv[1])); m["id"] = sys.argv[2]
json.dump(m, open(sys.argv[1], "w"), indent=2)
PY

python3 "$cli" -q install "$work"
python3 "$cli" -q activate "$id"
got=$(python3 "$cli" --json call "$id" echo '{"ping": [1, "two", null]}')
python3 -c 'import json,sys; r=json.loads(sys.argv[1]); assert r["success"] and r["result"]=={"ping":[1,"two",None]}, r' "$got" \
    || { echo "FAIL: echo returned $got" >&2; exit 1; }
python3 "$cli" -q deactivate "$id" >/dev/null
echo "PASS: $id installed, activated, echoed and deactivated"
