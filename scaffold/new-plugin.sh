#!/usr/bin/env bash
# make plugin NAME=x RUNTIME=nodejs|python|webassembly [DIR=plugins]: scaffolds DIR/x from scaffold/:
# manifest.json (valid against the schema), the code (activate/deactivate/execute with an echo
# action), README.md with curl calls, and test.sh (installs, activates, echoes, against a running host).
# webassembly: the code is plugin.wat (runtime-images/wasm/ABI.md), compiled here to plugin.wasm
# (the manifest's main) with wat2wasm, which deploy/ensure-wabt.sh installs when missing.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
name=${1:-} runtime=${2:-} dir=${3:-plugins}

die() { printf 'make plugin: %s\n' "$*" >&2; exit 2; }
memory=64
case "$runtime" in
    nodejs) main=index.js source=index.js ;;
    python) main=main.py source=main.py ;;
    # the WebAssembly runtime is Node.js: 48 MB of the container are its own, the rest linear memory
    webassembly|wasm) runtime=webassembly main=plugin.wasm source=plugin.wat memory=96 ;;
    "") die "RUNTIME is missing: nodejs, python or webassembly" ;;
    *) die "RUNTIME '$runtime' is not one of nodejs, python, webassembly" ;;
esac
[[ -n $name ]] || die "NAME is missing: make plugin NAME=my-plugin RUNTIME=nodejs|python|webassembly"
[[ $name =~ ^[a-z0-9-]{3,50}$ ]] || die "NAME '$name' must be 3-50 characters of a-z, 0-9 and '-' (it is the plugin id)"
target=$dir/$name
[[ ! -e $target ]] || die "$target exists already"
if [[ $runtime == webassembly ]]; then
    "$here/../deploy/ensure-wabt.sh" >&2 || die "RUNTIME=webassembly needs wat2wasm to build plugin.wasm (see above)"
fi

mkdir -p "$target"
author=$(git config user.name 2>/dev/null || echo "${USER:-someone}")
build=$here/$runtime/BUILD.md # runtime-specific README section, in place of the line __BUILD__
[[ -f $build ]] || build=/dev/null
render() { # template -> file (the __BUILD__ line first, so its text gets the placeholders filled too)
    sed -e "/^__BUILD__\$/{r $build" -e 'd' -e '}' "$1" |
    sed -e "s|__ID__|$name|g" -e "s|__RUNTIME__|$runtime|g" -e "s|__MAIN__|$main|g" \
        -e "s|__SOURCE__|$source|g" -e "s|__MEMORY__|$memory|g" \
        -e "s|__AUTHOR__|$(tr -d '|&\\\\"' <<<"$author")|g" >"$2"
}
render "$here/$runtime/$source" "$target/$source"
for f in manifest.json README.md test.sh; do
    render "$here/common/$f" "$target/$f"
done
chmod +x "$target/test.sh"
files="manifest.json, $source"
if [[ $runtime == webassembly ]]; then
    wat2wasm "$target/$source" -o "$target/$main" || { rm -rf "$target"; die "wat2wasm could not build $target/$main"; }
    files+=" (built: $main)"
fi
echo "created $target ($runtime): $files, README.md, test.sh"
echo "next: bin/logomesh install $target && bin/logomesh activate $name && bin/logomesh call $name echo '{\"x\":1}'"
