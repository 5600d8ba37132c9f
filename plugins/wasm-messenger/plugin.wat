;; wasm-messenger: example LogoMesh plugin in WebAssembly text that talks to another plugin
;; (runtime-images/wasm/ABI.md). `make wasm-plugins` compiles it to plugin.wasm with wat2wasm.
;;
;; Action greet, payload {"name": "Ada"}: sends {"type": "greet", "data": <payload>} to the
;; Node.js example plugin hello-node through the host (import logomesh.send_message) and answers
;; hello-node's reply, e.g. {"greeting": "Hello, Ada!", "from": "hello-node"}. A refusal by the
;; host (no permission, hello-node not active, ...) becomes the action's error.
;; Action echo answers the payload.
(module
  (import "logomesh" "log" (func $log (param i32 i32 i32)))
  (import "logomesh" "set_error" (func $set_error (param i32 i32)))
  (import "logomesh" "send_message" (func $send_message (param i32 i32 i32 i32) (result i64)))

  (memory (export "memory") 2)

  (data (i32.const 16) "echo")                               ;; 4
  (data (i32.const 24) "greet")                              ;; 5
  (data (i32.const 32) "hello-node")                         ;; 10
  (data (i32.const 48) "{\"type\":\"greet\",\"data\":")      ;; 23
  (data (i32.const 80) "}")                                  ;; 1
  (data (i32.const 96) "unknown action type (try greet, echo)") ;; 37
  (data (i32.const 144) "sending greet to hello-node")       ;; 27

  ;; bump allocator from 64 KiB; starts over when every buffer has been given back
  (global $heap (mut i32) (i32.const 65536))
  (global $live (mut i32) (i32.const 0))

  (func $alloc (export "alloc") (param $len i32) (result i32)
    (local $ptr i32) (local $end i32) (local $need i32)
    (local.set $ptr (i32.and (i32.add (global.get $heap) (i32.const 7)) (i32.const -8)))
    (local.set $end (i32.add (local.get $ptr) (local.get $len)))
    (local.set $need (i32.sub (i32.shr_u (i32.add (local.get $end) (i32.const 65535)) (i32.const 16))
                              (memory.size)))
    (if (i32.gt_s (local.get $need) (i32.const 0))
      (then (if (i32.eq (memory.grow (local.get $need)) (i32.const -1))
        (then (return (i32.const 0))))))
    (global.set $heap (local.get $end))
    (global.set $live (i32.add (global.get $live) (i32.const 1)))
    (local.get $ptr))
  (func $dealloc (export "dealloc") (param i32 i32)
    (global.set $live (i32.sub (global.get $live) (i32.const 1)))
    (if (i32.le_s (global.get $live) (i32.const 0))
      (then (global.set $live (i32.const 0)) (global.set $heap (i32.const 65536)))))

  (func (export "activate") (result i32) (i32.const 0))
  (func (export "deactivate") (result i32) (i32.const 0))

  (func $pack (param $ptr i32) (param $len i32) (result i64)
    (i64.or (i64.shl (i64.extend_i32_u (local.get $ptr)) (i64.const 32)) (i64.extend_i32_u (local.get $len))))

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

  ;; {"type":"greet","data":<payload>} -> hello-node; its reply is the result
  (func $greet (param $p i32) (param $len i32) (result i64)
    (local $msg i32) (local $mlen i32) (local $reply i64) (local $err i64)
    (local.set $mlen (i32.add (i32.const 24) (local.get $len)))
    (local.set $msg (call $alloc (local.get $mlen)))
    (memory.copy (local.get $msg) (i32.const 48) (i32.const 23))
    (memory.copy (i32.add (local.get $msg) (i32.const 23)) (local.get $p) (local.get $len))
    (i32.store8 (i32.add (local.get $msg) (i32.add (i32.const 23) (local.get $len))) (i32.const 125))
    (call $log (i32.const 0) (i32.const 144) (i32.const 27))
    (local.set $reply (call $send_message (i32.const 32) (i32.const 10) (local.get $msg) (local.get $mlen)))
    (call $dealloc (local.get $msg) (local.get $mlen))
    ;; a negative answer is the host's error {"code", "message"}: hand it to set_error as is
    (if (i64.lt_s (local.get $reply) (i64.const 0))
      (then
        (local.set $err (i64.sub (i64.const 0) (local.get $reply)))
        (call $set_error (i32.wrap_i64 (i64.shr_u (local.get $err) (i64.const 32))) (i32.wrap_i64 (local.get $err)))
        (return (i64.const 0))))
    (local.get $reply))

  (func (export "execute") (param $t i32) (param $tl i32) (param $p i32) (param $pl i32) (result i64)
    (if (call $eq (local.get $t) (local.get $tl) (i32.const 24) (i32.const 5))
      (then (return (call $greet (local.get $p) (local.get $pl)))))
    (if (call $eq (local.get $t) (local.get $tl) (i32.const 16) (i32.const 4))
      (then (return (call $pack (local.get $p) (local.get $pl)))))
    (call $set_error (i32.const 96) (i32.const 37))
    (i64.const 0))
)
