#!/usr/bin/env bash
# wat2wasm (WABT) compiles the WebAssembly example plugins and test fixtures from their .wat sources.
exec "$(dirname "$0")/ensure-tool.sh" wat2wasm wabt "WABT, the WebAssembly Binary Toolkit"
