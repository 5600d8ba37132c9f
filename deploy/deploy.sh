#!/usr/bin/env bash
# make deploy: builds the control plane's image offline and runs it with compose, then waits
# until Docker reports it healthy (= /q/health/ready answers 200).
# Settings (environment): LOGOMESH_DEPLOY_DATA (host path of the data folder, default /var/lib/logomesh),
# LOGOMESH_PORT (default 8080), LOGOMESH_BIND (default 127.0.0.1), LOGOMESH_API_TOKEN (default: generated
# into <data>/api-token), LOGOMESH_DEPLOY_PLUGINS (default ./plugins, mounted read-only).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export LOGOMESH_DEPLOY_DATA=${LOGOMESH_DEPLOY_DATA:-/var/lib/logomesh}
export LOGOMESH_DEPLOY_PLUGINS=${LOGOMESH_DEPLOY_PLUGINS:-$root/plugins}
export LOGOMESH_PORT=${LOGOMESH_PORT:-8080}
export LOGOMESH_BIND=${LOGOMESH_BIND:-127.0.0.1}
container=${LOGOMESH_CONTAINER:-logomesh-host}

log() { printf '[deploy] %s\n' "$*" >&2; }
die() { printf '[deploy] error: %s\n' "$*" >&2; exit 1; }

[[ $LOGOMESH_DEPLOY_DATA == /* ]] || die "LOGOMESH_DEPLOY_DATA must be an absolute path (it is mounted at the same path)"
"$root/deploy/build-image.sh"
mkdir -p "$LOGOMESH_DEPLOY_DATA" "$LOGOMESH_DEPLOY_PLUGINS"
log "starting $container on $LOGOMESH_BIND:$LOGOMESH_PORT (data: $LOGOMESH_DEPLOY_DATA)"
"$root/deploy/compose.sh" up -d --force-recreate >&2

deadline=$((SECONDS + ${LOGOMESH_DEPLOY_WAIT:-120}))
while :; do
    health=$(docker inspect -f '{{if .State.Health}}{{.State.Health.Status}}{{else}}{{.State.Status}}{{end}}' \
             "$container" 2>/dev/null || echo missing)
    [[ $health == healthy ]] && break
    if [[ $health == unhealthy || $health == exited || $health == missing || $SECONDS -ge $deadline ]]; then
        docker logs --tail 40 "$container" >&2 || true
        die "$container is $health (not healthy within ${LOGOMESH_DEPLOY_WAIT:-120} s); its last log lines are above"
    fi
    sleep 2
done
log "$container is healthy: http://$LOGOMESH_BIND:$LOGOMESH_PORT (Swagger UI at /q/swagger-ui)"
if [[ -z ${LOGOMESH_API_TOKEN:-} ]]; then
    log "API token: in $LOGOMESH_DEPLOY_DATA/api-token (bin/logomesh --data-dir $LOGOMESH_DEPLOY_DATA ...)"
fi
