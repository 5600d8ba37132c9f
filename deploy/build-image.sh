#!/usr/bin/env bash
# Builds the control plane's image offline: logomesh-host:latest (LOGOMESH_HOST_IMAGE overrides).
#   deploy/build-image.sh            (after `mvn package`: needs target/quarkus-app)
# Base: logomesh-base:bookworm (runtime-images/build.sh base: debootstrap, no registry).
# Java: a jlink-ed runtime from $JAVA_HOME (default the Temurin 25 JDK), cached in target/deploy-image/jre.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
IMAGE=${LOGOMESH_HOST_IMAGE:-logomesh-host:latest}
JDK=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
stage=$root/target/deploy-image
app=$root/target/quarkus-app
# what the service and its libraries use (jdeps over quarkus-app/lib, plus what is loaded reflectively)
MODULES=java.base,java.compiler,java.instrument,java.logging,java.management,java.naming,java.net.http,\
java.rmi,java.scripting,java.security.jgss,java.security.sasl,java.sql,java.transaction.xa,java.xml,\
jdk.crypto.ec,jdk.management,jdk.naming.dns,jdk.net,jdk.unsupported,jdk.zipfs,jdk.jfr

log() { printf '[deploy] %s\n' "$*" >&2; }
die() { printf '[deploy] error: %s\n' "$*" >&2; exit 1; }

[[ -f $app/quarkus-run.jar ]] || die "no $app/quarkus-run.jar: run 'make build' first"
[[ -x $JDK/bin/jlink ]] || die "no jlink in $JDK (set JAVA_HOME to a JDK 21+)"
docker image inspect logomesh-base:bookworm >/dev/null 2>&1 || "$root/runtime-images/build.sh" base

mkdir -p "$stage"
jdk_id=$("$JDK/bin/java" -version 2>&1 | head -1)@$MODULES
if [[ ! -x $stage/jre/bin/java || $(cat "$stage/jre.id" 2>/dev/null) != "$jdk_id" ]]; then
    log "jlink: a Java runtime from $JDK"
    available=$("$JDK/bin/java" --list-modules | sed 's/@.*//' | tr '\n' ' ')
    wanted=()
    for m in ${MODULES//,/ }; do
        [[ " $available " == *" $m "* ]] && wanted+=("$m")
    done
    rm -rf "$stage/jre"
    "$JDK/bin/jlink" --add-modules "$(IFS=,; echo "${wanted[*]}")" --strip-debug --no-header-files \
        --no-man-pages --compress=zip-6 --output "$stage/jre"
    echo "$jdk_id" >"$stage/jre.id"
fi
rm -rf "$stage/quarkus-app"
cp -a "$app" "$stage/quarkus-app"
cp "$root/deploy/healthcheck.sh" "$stage/healthcheck.sh"
log "docker build $IMAGE"
out=$(mktemp /tmp/logomesh-host-build.XXXXXX)
if ! docker build -t "$IMAGE" -f "$root/deploy/Dockerfile" "$stage" >"$out" 2>&1; then
    tail -30 "$out" >&2; rm -f "$out"; die "docker build of $IMAGE failed"
fi
rm -f "$out"
docker images -q -f dangling=true -f label=io.logomesh.component=control-plane | xargs -r docker rmi >/dev/null 2>&1 || true
log "built $IMAGE ($(docker image inspect -f '{{.Size}}' "$IMAGE" | awk '{printf "%.0f MB", $1/1000000}'))"
