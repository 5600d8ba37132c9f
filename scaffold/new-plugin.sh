#!/usr/bin/env bash
# make plugin NAME=x RUNTIME=nodejs|python|webassembly [LANG=typescript] [DIR=plugins]: scaffolds DIR/x from
# scaffold/: manifest.json (valid against the schema), the code (activate/deactivate/execute with an echo
# action), README.md with curl calls, test.sh (installs, activates, echoes, against a running host), and
# for Node.js and Python the SDK: types (logomesh.d.ts / typings/logomesh_shim/__init__.pyi), the test
# harness (logomesh-testing.js / tests/logomesh_testing.py) and one unit test, which it runs (no host needed).
# LANG=typescript (nodejs only): src/index.ts compiled by the repository's pinned tsc to dist/index.js.
# webassembly: the code is plugin.wat (runtime-images/wasm/ABI.md), compiled here to plugin.wasm
# (the manifest's main) with wat2wasm, which deploy/ensure-wabt.sh installs when missing.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
name=${1:-} runtime=${2:-} dir=${3:-plugins} lang=${4:-}
sdk=$here/../sdk

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
case "$lang" in
    ""|javascript|js) lang= ;;
    typescript|ts) [[ $runtime == nodejs ]] || die "LANG=typescript needs RUNTIME=nodejs"
                   lang=typescript main=dist/index.js source=src/index.ts ;;
    *) die "LANG '$lang' is not one of javascript, typescript (or leave it out)" ;;
esac
case "$runtime:$lang" in
    nodejs:typescript) unit="npm test" ;;
    nodejs:) unit="node --test index.test.js" ;;
    python:) unit="python3 -m unittest discover -s tests" ;;
    *) unit= ;;
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
template=$here/$runtime
[[ $lang == typescript ]] && template=$here/typescript
build=$template/BUILD.md # runtime-specific README section, in place of the line __BUILD__
[[ -f $build ]] || build=/dev/null
render() { # template -> file (the __BUILD__ line first, so its text gets the placeholders filled too)
    sed -e "/^__BUILD__\$/{r $build" -e 'd' -e '}' "$1" |
    sed -e "s|__ID__|$name|g" -e "s|__RUNTIME__|$runtime|g" -e "s|__MAIN__|$main|g" \
        -e "s|__SOURCE__|$source|g" -e "s|__UNIT__|${unit:-none (WebAssembly: test.sh against a host)}|g" -e "s|__MEMORY__|$memory|g" \
        -e "s|__AUTHOR__|$(tr -d '|&\\\\"' <<<"$author")|g" >"$2"
}
mkdir -p "$(dirname "$target/$source")"
render "$template/$source" "$target/$source"
for f in manifest.json README.md test.sh; do
    render "$here/common/$f" "$target/$f"
done
chmod +x "$target/test.sh"
files="manifest.json, $source"
case "$runtime:$lang" in
    nodejs:typescript)
        render "$template/src/index.test.ts" "$target/src/index.test.ts"
        render "$template/tsconfig.json" "$target/tsconfig.json"
        render "$template/package.json" "$target/package.json"
        cp "$here/../runtime-images/nodejs/shim/logomesh.d.ts" "$sdk/nodejs/logomesh-testing.js" \
           "$sdk/nodejs/logomesh-testing.d.ts" "$target/"
        files+=", src/index.test.ts, tsconfig.json, package.json, logomesh.d.ts, logomesh-testing.js"
        ;;
    nodejs:)
        render "$template/index.test.js" "$target/index.test.js"
        cp "$here/../runtime-images/nodejs/shim/logomesh.d.ts" "$sdk/nodejs/logomesh-testing.js" \
           "$sdk/nodejs/logomesh-testing.d.ts" "$target/"
        files+=", index.test.js, logomesh.d.ts, logomesh-testing.js"
        ;;
    python:)
        mkdir -p "$target/tests" "$target/typings/logomesh_shim"
        render "$template/tests/test_main.py" "$target/tests/test_main.py"
        cp "$template/mypy.ini" "$target/mypy.ini"
        cp "$sdk/python/logomesh_testing.py" "$target/tests/"
        cp "$here/../runtime-images/python/shim/__init__.pyi" "$target/typings/logomesh_shim/__init__.pyi"
        files+=", tests/test_main.py, tests/logomesh_testing.py, typings/logomesh_shim/__init__.pyi, mypy.ini"
        ;;
esac
if [[ $runtime == webassembly ]]; then
    wat2wasm "$target/$source" -o "$target/$main" || { rm -rf "$target"; die "wat2wasm could not build $target/$main"; }
    files+=" (built: $main)"
fi
# the unit test against the fake ctx: a scaffold that does not pass its own test is not left behind
unit_test() {
    case "$runtime:$lang" in
        nodejs:typescript) "$sdk/tools/tsc.sh" -p "$target" && (cd "$target" && node --test dist/index.test.js) ;;
        nodejs:) (cd "$target" && node --test index.test.js) ;;
        python:) (cd "$target" && python3 -B -m unittest discover -s tests) ;;
    esac
}
runner=node; [[ $runtime == python ]] && runner=python3
if [[ -n $unit ]] && ! command -v $runner >/dev/null; then
    files+=" (unit test not run: no $runner on PATH)"
elif [[ -n $unit ]]; then
    if ! out=$(unit_test 2>&1); then
        printf '%s\n' "$out" >&2; rm -rf "$target"; die "the scaffold's unit test failed ($unit)"
    fi
    files+=" (unit test passed)"
fi
echo "created $target ($runtime${lang:+, $lang}): $files, README.md, test.sh"
echo "next: bin/logomesh install $target && bin/logomesh activate $name && bin/logomesh call $name echo '{\"x\":1}'"
