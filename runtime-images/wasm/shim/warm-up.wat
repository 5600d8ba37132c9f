;; The runtime's own warm-up module (worker.js, warmUp): run through the steps of `load` when the worker
;; starts, so the engine's first compile, instantiation and import wrappers are made before a plugin's start.
;; Its imports have the signatures most plugins use (WASI fd_write, the host's log). Built with
;; `wat2wasm warm-up.wat -o warm-up.wasm` (Debian's wabt); both files are committed.
(module
  (import "wasi_snapshot_preview1" "fd_write" (func (param i32 i32 i32 i32) (result i32)))
  (import "logomesh" "log" (func (param i32 i32 i32)))
  (memory (export "memory") 1)
  (func (export "f") (result i32) i32.const 0))
