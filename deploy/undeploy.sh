#!/usr/bin/env bash
# make undeploy: stops and removes the control plane and every plugin container it created
# (label io.logomesh.host=<its host id>). The data folder is kept unless PURGE=1.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export LOGOMESH_DEPLOY_DATA=${LOGOMESH_DEPLOY_DATA:-/var/lib/logomesh}
export LOGOMESH_DEPLOY_PLUGINS=${LOGOMESH_DEPLOY_PLUGINS:-$root/plugins}

log() { printf '[undeploy] %s\n' "$*" >&2; }

host_id=$(cat "$LOGOMESH_DEPLOY_DATA/host-id" 2>/dev/null || true)
"$root/deploy/compose.sh" down --remove-orphans >&2 || true
if [[ -n $host_id ]]; then
    leftovers=$(docker ps -aq --filter "label=io.logomesh.host=$host_id")
    if [[ -n $leftovers ]]; then
        log "removing $(wc -w <<<"$leftovers") plugin container(s) of host $host_id"
        docker rm -f $leftovers >/dev/null
    fi
fi
if [[ ${PURGE:-} == 1 ]]; then
    log "removing the data folder $LOGOMESH_DEPLOY_DATA"
    rm -rf "$LOGOMESH_DEPLOY_DATA"
else
    log "data kept in $LOGOMESH_DEPLOY_DATA (PURGE=1 removes it)"
fi
