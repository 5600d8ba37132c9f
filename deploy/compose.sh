#!/usr/bin/env bash
# Runs docker compose on deploy/docker-compose.yml (project "logomesh"): `docker compose` v2 when
# the Docker CLI has it, else docker-compose (1.29 on Debian 12; installed with apt when missing, as root).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
project=${LOGOMESH_COMPOSE_PROJECT:-logomesh}

if docker compose version >/dev/null 2>&1; then
    exec docker compose -p "$project" -f "$here/docker-compose.yml" "$@"
fi
if ! command -v docker-compose >/dev/null 2>&1; then
    if [[ $(id -u) == 0 && -f /etc/debian_version ]]; then
        echo "[deploy] neither 'docker compose' nor docker-compose: installing docker-compose from Debian's packages" >&2
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker-compose >/dev/null
    else
        echo "[deploy] error: install docker-compose or the Docker Compose v2 plugin" >&2
        exit 1
    fi
fi
exec docker-compose -p "$project" -f "$here/docker-compose.yml" "$@"
