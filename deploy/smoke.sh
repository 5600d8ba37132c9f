#!/usr/bin/env bash
# CI smoke test of the deployment, offline: deploys the control plane with compose (its own
# container name, port and data folder), waits for readiness, installs a bundle made from
# ./plugins/hello-node through the deployed service's REST API (bin/logomesh), activates it,
# runs actions, checks the results and the plugin container on the engine, uninstalls, and
# undeploys. Any failure prints the service's log and exits non-zero.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

export LOGOMESH_DEPLOY_DATA=${SMOKE_DATA:-$(mktemp -d /tmp/lm-smoke.XXXXXX)}
export LOGOMESH_PORT=${SMOKE_PORT:-18080}
export LOGOMESH_BIND=127.0.0.1
export LOGOMESH_CONTAINER=logomesh-smoke
export LOGOMESH_COMPOSE_PROJECT=logomesh-smoke
export LOGOMESH_API_TOKEN=smoke-$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')
export LOGOMESH_URL=http://127.0.0.1:$LOGOMESH_PORT
ID=smoke-hello-node
bundle=$(mktemp -d /tmp/lm-smoke-bundle.XXXXXX)

say() { printf '[smoke] %s\n' "$*" >&2; }
fail() {
    printf '\n[smoke] FAILED: %s\n' "$*" >&2
    docker logs --tail 60 "$LOGOMESH_CONTAINER" >&2 2>&1 || true
    exit 1
}
cleanup() {
    status=$?
    say "undeploying"
    PURGE=1 deploy/undeploy.sh >/dev/null 2>&1 || true
    rm -rf "$bundle"
    [[ $status == 0 ]] && say "PASSED" || say "FAILED (exit $status)"
}
trap cleanup EXIT
cli() { bin/logomesh -q "$@"; }

[[ -f target/quarkus-app/quarkus-run.jar ]] || make build
say "deploying on port $LOGOMESH_PORT, data in $LOGOMESH_DEPLOY_DATA"
deploy/deploy.sh || fail "make deploy did not come up healthy"

ready=$(python3 - "$LOGOMESH_URL" <<'PY'
import json, sys, time, urllib.request
for _ in range(60):
    try:
        with urllib.request.urlopen(sys.argv[1] + "/q/health/ready", timeout=5) as r:
            if json.load(r).get("status") == "UP":
                print("UP"); break
    except Exception:
        pass
    time.sleep(1)
PY
)
[[ $ready == UP ]] || fail "/q/health/ready is not UP"
say "ready"

# the control plane's own container is locked down as deploy/docker-compose.yml says (read back from the engine)
lockdown=$(docker inspect -f '{{.HostConfig.ReadonlyRootfs}} {{.HostConfig.CapDrop}} {{.HostConfig.CapAdd}} {{.HostConfig.SecurityOpt}} {{.HostConfig.Memory}} {{.HostConfig.NanoCpus}} {{.HostConfig.PidsLimit}}' "$LOGOMESH_CONTAINER")
python3 - "$lockdown" <<'PY' || fail "the control plane's container is not locked down: $lockdown"
import re, sys
ro, drop, add, sec, mem, cpus, pids = re.match(r"(\S+) \[(.*?)\] \[(.*?)\] \[(.*?)\] (\d+) (\d+) (\d+)$", sys.argv[1]).groups()
assert ro == "true", "root file system writable"
assert drop.split() == ["ALL"], "capabilities not dropped: " + drop
assert set(add.replace("CAP_", "").split()) <= {"CHOWN", "DAC_OVERRIDE", "FOWNER"}, "extra capabilities: " + add
assert "no-new-privileges:true" in sec.split(), "no no-new-privileges: " + sec
assert int(mem) > 0 and int(cpus) > 0 and int(pids) > 0, "no memory, CPU or pids limit"
PY
say "control plane: read-only, cap_drop ALL (+$(docker inspect -f '{{.HostConfig.CapAdd}}' "$LOGOMESH_CONTAINER")), no-new-privileges, limits set"

[[ $(cli --json system | python3 -c 'import json,sys; print(json.load(sys.stdin)["engine"]["available"])') == True ]] \
    || fail "GET /system does not see the engine"
# in an unprivileged container the host cannot loop-mount /data images: it must say so, not pretend
volumes=$(cli --json system | python3 -c 'import json,sys; v=json.load(sys.stdin)["dataVolumes"]; print(v["mode"], "-", v["reason"] or v["sizeMb"])')
say "plugins' /data: $volumes"
[[ $volumes == image* || $volumes == folder* ]] || fail "GET /system does not say how /data is bounded"
listed=$(cli list) || fail "list failed"
grep -q '^hello-node ' <<<"$listed" || fail "the ./plugins mount was not installed: $listed"

cp -r plugins/hello-node/. "$bundle/"
python3 - "$bundle/manifest.json" "$ID" <<'PY'
import json, sys
m = json.load(open(sys.argv[1])); m["id"] = sys.argv[2]
json.dump(m, open(sys.argv[1], "w"), indent=2)
PY
out=$(cli install "$bundle") || fail "install through the deployed service failed"
say "$out"
[[ $(cli activate "$ID") == "$ID: ACTIVE" ]] || fail "activate did not reach ACTIVE"

nonce=$RANDOM$RANDOM
echo_result=$(cli --json call "$ID" echo "{\"nonce\": $nonce}") || fail "the echo action failed"
python3 -c 'import json,sys; r=json.loads(sys.argv[1]); assert r["success"] and r["result"]=={"nonce":int(sys.argv[2])}, r' \
    "$echo_result" "$nonce" || fail "echo returned $echo_result"
greeting=$(cli call "$ID" greet '{"name": "Smoke"}') || fail "the greet action failed"
grep -q '"Hello, Smoke!"' <<<"$greeting" || fail "greet returned $greeting"
say "actions ran: echo $nonce, $(tr -d '\n ' <<<"$greeting")"

host_id=$(cat "$LOGOMESH_DEPLOY_DATA/host-id")
# a cold start is labelled io.logomesh.plugin=<id>; a prewarmed cell keeps its pool label and is renamed
# logomesh-<id> (DESIGN.md, Docker objects): find it either way, and it must be the one GET /plugins/{id} names
running=$( { docker ps -q --no-trunc --filter "label=io.logomesh.plugin=$ID" --filter "label=io.logomesh.host=$host_id"
             docker ps -q --no-trunc --filter "name=^logomesh-$ID\$" --filter "label=io.logomesh.host=$host_id"; } | sort -u)
[[ -n $running ]] || fail "no running container of $ID (by label or by name logomesh-$ID) by host $host_id"
reported=$(cli --json show "$ID" | python3 -c 'import json,sys; print(json.load(sys.stdin).get("containerId") or "")')
grep -qx "$reported" <<<"$running" || fail "GET /plugins/$ID names container '$reported', not the running one ($running)"

cli uninstall "$ID" >/dev/null || fail "uninstall failed"
sleep 1 # a replaced container is removed in the background
[[ -z $(docker ps -aq --filter "label=io.logomesh.plugin=$ID" --filter "label=io.logomesh.host=$host_id") ]] \
    && [[ -z $(docker ps -aq --filter "name=^logomesh-$ID\$" --filter "label=io.logomesh.host=$host_id") ]] \
    || fail "the plugin container is still there after uninstall"
say "installed, activated, ran and uninstalled $ID through the deployed service"
