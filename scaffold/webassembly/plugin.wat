;; __ID__: a LogoMesh plugin in WebAssembly text (runtime-images/wasm/ABI.md).
;; Build: `wat2wasm plugin.wat -o plugin.wasm` (Debian `wabt`), or `make wasm-plugins` from the
;; repository root for folders under ./plugins. The manifest's `main` is the built plugin.wasm.
;;
;; Exports: memory, alloc/dealloc (buffers in), initialize, activate, deactivate, execute.
;; execute(type, payload) answers one i64: ptr << 32 | len of the result JSON (0 = null).
;; Imports: logomesh.log (a log line to the host), logomesh.set_error (fails the current call).
(module
  (import "logomesh" "log" (func $log (param i32 i32 i32)))
  (import "logomesh" "set_error" (func $set_error (param i32 i32)))

  (memory (export "memory") 2)

  ;; constants (offset, length)
  (data (i32.const 16) "echo")                    ;; 4
  (data (i32.const 32) "unknown action type '")   ;; 21
  (data (i32.const 64) "' (try echo)")            ;; 12
  (data (i32.const 80) "initialized")             ;; 11
  (data (i32.const 96) "active")                  ;; 6
  (data (i32.const 112) "inactive")               ;; 8

  ;; Allocator: a bump pointer from 64 KiB that starts over when every buffer handed out has
  ;; been given back (the runtime deallocs the inputs and the result after each call).
  (global $heap (mut i32) (i32.const 65536))
  (global $live (mut i32) (i32.const 0))
  (global $out (mut i32) (i32.const 0))

  (func $alloc (export "alloc") (param $len i32) (result i32)
    (local $ptr i32) (local $end i32) (local $need i32)
    (local.set $ptr (i32.and (i32.add (global.get $heap) (i32.const 7)) (i32.const -8)))
    (local.set $end (i32.add (local.get $ptr) (local.get $len)))
    (local.set $need (i32.sub (i32.shr_u (i32.add (local.get $end) (i32.const 65535)) (i32.const 16))
                              (memory.size)))
    (if (i32.gt_s (local.get $need) (i32.const 0))
      (then (if (i32.eq (memory.grow (local.get $need)) (i32.const -1))
        (then (return (i32.const 0))))))  ;; out of memory
    (global.set $heap (local.get $end))
    (global.set $live (i32.add (global.get $live) (i32.const 1)))
    (local.get $ptr))
  (func $dealloc (export "dealloc") (param i32 i32)
    (global.set $live (i32.sub (global.get $live) (i32.const 1)))
    (if (i32.le_s (global.get $live) (i32.const 0))
      (then (global.set $live (i32.const 0)) (global.set $heap (i32.const 65536)))))

  ;; optional: called once with the manifest's `config` as JSON; 0 = success
  (func (export "initialize") (param $config i32) (param $len i32) (result i32)
    (call $log (i32.const 1) (i32.const 80) (i32.const 11))  ;; level 1 = info
    (i32.const 0))
  (func (export "activate") (result i32)
    (call $log (i32.const 1) (i32.const 96) (i32.const 6))
    (i32.const 0))
  (func (export "deactivate") (result i32)
    (call $log (i32.const 1) (i32.const 112) (i32.const 8))
    (i32.const 0))

  (func $pack (param $ptr i32) (param $len i32) (result i64)
    (i64.or (i64.shl (i64.extend_i32_u (local.get $ptr)) (i64.const 32)) (i64.extend_i32_u (local.get $len))))

  ;; 1 when the two byte ranges are equal
  (func $eq (param $a i32) (param $alen i32) (param $b i32) (param $blen i32) (result i32)
    (local $i i32)
    (if (i32.ne (local.get $alen) (local.get $blen)) (then (return (i32.const 0))))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $alen)))
        (if (i32.ne (i32.load8_u (i32.add (local.get $a) (local.get $i)))
                    (i32.load8_u (i32.add (local.get $b) (local.get $i))))
          (then (return (i32.const 0))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))
    (i32.const 1))

  ;; appends len bytes at ptr to the output buffer
  (func $emit (param $ptr i32) (param $len i32)
    (memory.copy (global.get $out) (local.get $ptr) (local.get $len))
    (global.set $out (i32.add (global.get $out) (local.get $len))))

  ;; an action: its type as text, its payload as compact JSON ("null" when absent)
  (func (export "execute") (param $t i32) (param $tl i32) (param $p i32) (param $pl i32) (result i64)
    (local $start i32)
    ;; echo: the payload buffer itself is the result (the runtime frees it once)
    (if (call $eq (local.get $t) (local.get $tl) (i32.const 16) (i32.const 4))
      (then (return (call $pack (local.get $p) (local.get $pl)))))
    ;; anything else fails the call: {"success": false, "error": "unknown action type '<type>' (try echo)"}
    (local.set $start (call $alloc (i32.add (i32.const 33) (local.get $tl))))
    (if (i32.eqz (local.get $start)) (then unreachable))  ;; out of memory: a trap fails the call
    (global.set $out (local.get $start))
    (call $emit (i32.const 32) (i32.const 21))
    (call $emit (local.get $t) (local.get $tl))
    (call $emit (i32.const 64) (i32.const 12))
    (call $set_error (local.get $start) (i32.sub (global.get $out) (local.get $start)))
    (call $dealloc (local.get $start) (i32.sub (global.get $out) (local.get $start)))  ;; set_error copied it
    (i64.const 0))
)
