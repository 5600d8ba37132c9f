#!/usr/bin/env bash
# make plugin NAME=x RUNTIME=nodejs|python [DIR=plugins]: scaffolds DIR/x from scaffold/:
# manifest.json (valid against the schema), the code (activate/deactivate/execute with an echo
# action), README.md with curl calls, and test.sh (installs, activates, echoes, against a running host).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
name=${1:-} runtime=${2:-} dir=${3:-plugins}

die() { printf 'make plugin: %s\n' "$*" >&2; exit 2; }
case "$runtime" in
    nodejs) main=index.js ;;
    python) main=main.py ;;
    webassembly|wasm)
        die "RUNTIME=webassembly is not available yet: the WebAssembly runtime and its ABI (runtime-images/wasm/ABI.md) are still being built; scaffold nodejs or python for now" ;;
    "") die "RUNTIME is missing: nodejs or python" ;;
    *) die "RUNTIME '$runtime' is not one of nodejs, python" ;;
esac
[[ -n $name ]] || die "NAME is missing: make plugin NAME=my-plugin RUNTIME=nodejs|python"
[[ $name =~ ^[a-z0-9-]{3,50}$ ]] || die "NAME '$name' must be 3-50 characters of a-z, 0-9 and '-' (it is the plugin id)"
target=$dir/$name
[[ ! -e $target ]] || die "$target exists already"

mkdir -p "$target"
author=$(git config user.name 2>/dev/null || echo "${USER:-someone}")
render() { # template -> file
    sed -e "s|__ID__|$name|g" -e "s|__RUNTIME__|$runtime|g" -e "s|__MAIN__|$main|g" \
        -e "s|__AUTHOR__|$(tr -d '|&\\\\"' <<<"$author")|g" "$1" >"$2"
}
render "$here/$runtime/$main" "$target/$main"
for f in manifest.json README.md test.sh; do
    render "$here/common/$f" "$target/$f"
done
chmod +x "$target/test.sh"
echo "created $target ($runtime): manifest.json, $main, README.md, test.sh"
echo "next: bin/logomesh install $target && bin/logomesh activate $name && bin/logomesh call $name echo '{\"x\":1}'"
