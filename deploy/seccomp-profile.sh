#!/usr/bin/env bash
# Derives the plugins' seccomp profile (src/main/resources/seccomp/plugin.json) from the
# engine's own default profile, with ptrace and io_uring taken out (Docker 25's own default dropped
# io_uring_setup/enter/register: a large kernel surface with a history of escapes, needed by no runtime here). Debian does not ship the default
# profile as a file with docker.io, but golang-github-docker-docker-dev (the same moby source,
# same version) does. Run again after an engine upgrade; the result is committed.
set -euo pipefail
cd "$(dirname "$0")/.."
out=src/main/resources/seccomp/plugin.json
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && apt-get download golang-github-docker-docker-dev >/dev/null && dpkg -x ./*.deb x)
src=$(find "$work/x" -path '*profiles/seccomp/default.json' | head -1)
version=$(dpkg-deb -f "$work"/*.deb Version)
python3 - "$src" "$out" <<'PY'
import json, sys
profile = json.load(open(sys.argv[1]))
denied = {"ptrace", "io_uring_setup", "io_uring_enter", "io_uring_register"}
kept = []
for rule in profile["syscalls"]:
    rule["names"] = [n for n in rule["names"] if n not in denied]
    if rule["names"]:
        kept.append(rule)
profile["syscalls"] = kept
json.dump(profile, open(sys.argv[2], "w"), indent=1)
open(sys.argv[2], "a").write("\n")
PY
echo "wrote $out from moby $version's default profile, without ptrace and io_uring"
