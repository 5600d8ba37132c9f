;; hello-wasm: example LogoMesh plugin in WebAssembly text (runtime-images/wasm/ABI.md).
;; `make wasm-plugins` (part of `make run` / `make test`) compiles it to plugin.wasm with wat2wasm.
;;
;; Actions: echo (payload back), upper (a string payload in upper case), greet ({"name": "Ada"}
;; -> {"greeting": "Hello, Ada!"}). Messages of type greet from other plugins (export on_message)
;; get {"greeting": "Hello, Ada!", "from": "hello-wasm"}. It logs on initialize and activate.
(module
  (import "logomesh" "log" (func $log (param i32 i32 i32)))
  (import "logomesh" "set_error" (func $set_error (param i32 i32)))

  (memory (export "memory") 2)

  ;; constants (offset, length)
  (data (i32.const 16) "echo")                               ;; 4
  (data (i32.const 24) "upper")                              ;; 5
  (data (i32.const 32) "greet")                              ;; 5
  (data (i32.const 48) "\"name\":\"")                        ;; 8
  (data (i32.const 64) "{\"greeting\":\"Hello, ")            ;; 20
  (data (i32.const 96) "!\"}")                               ;; 3
  (data (i32.const 112) "world")                             ;; 5
  (data (i32.const 128) "unknown action type '")             ;; 21
  (data (i32.const 160) "' (try echo, upper, greet)")        ;; 26
  (data (i32.const 192) "upper needs a string payload")      ;; 28
  (data (i32.const 224) "hello-wasm initialized")            ;; 22
  (data (i32.const 256) "hello-wasm active")                 ;; 17
  (data (i32.const 288) "!\",\"from\":\"hello-wasm\"}")       ;; 23
  (data (i32.const 320) "no handler for this message type (try greet)") ;; 44

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
        (then (return (i32.const 0))))))
    (global.set $heap (local.get $end))
    (global.set $live (i32.add (global.get $live) (i32.const 1)))
    (local.get $ptr))
  (func (export "dealloc") (param i32 i32)
    (global.set $live (i32.sub (global.get $live) (i32.const 1)))
    (if (i32.le_s (global.get $live) (i32.const 0))
      (then (global.set $live (i32.const 0)) (global.set $heap (i32.const 65536)))))

  (func (export "initialize") (param $config i32) (param $len i32) (result i32)
    (call $log (i32.const 1) (i32.const 224) (i32.const 22))
    (i32.const 0))
  (func (export "activate") (result i32)
    (call $log (i32.const 1) (i32.const 256) (i32.const 17))
    (i32.const 0))
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

  ;; the output buffer: $begin starts one, $emit appends, $done answers it as a packed result
  (func $begin (param $capacity i32) (result i32)
    (global.set $out (call $alloc (local.get $capacity)))
    (global.get $out))
  (func $emit (param $ptr i32) (param $len i32)
    (memory.copy (global.get $out) (local.get $ptr) (local.get $len))
    (global.set $out (i32.add (global.get $out) (local.get $len))))
  (func $done (param $start i32) (result i64)
    (call $pack (local.get $start) (i32.sub (global.get $out) (local.get $start))))

  ;; a JSON string in upper case: a-z outside escapes become A-Z
  (func $upper (param $p i32) (param $len i32) (result i64)
    (local $start i32) (local $i i32) (local $c i32) (local $skip i32)
    (if (i32.or (i32.lt_u (local.get $len) (i32.const 2))
                (i32.ne (i32.load8_u (local.get $p)) (i32.const 34)))
      (then (call $set_error (i32.const 192) (i32.const 28)) (return (i64.const 0))))
    (local.set $start (call $begin (local.get $len)))
    (call $emit (local.get $p) (local.get $len))
    (block $end
      (loop $next
        (br_if $end (i32.ge_u (local.get $i) (local.get $len)))
        (local.set $c (i32.load8_u (i32.add (local.get $start) (local.get $i))))
        (if (local.get $skip)
          (then (local.set $skip (i32.sub (local.get $skip) (i32.const 1))))
          (else
            (if (i32.eq (local.get $c) (i32.const 92)) ;; backslash: skip the escape (\uXXXX: 5 more)
              (then (local.set $skip (select (i32.const 5) (i32.const 1)
                (i32.eq (i32.load8_u (i32.add (local.get $start) (i32.add (local.get $i) (i32.const 1))))
                        (i32.const 117))))))
            (if (i32.and (i32.ge_u (local.get $c) (i32.const 97)) (i32.le_u (local.get $c) (i32.const 122)))
              (then (i32.store8 (i32.add (local.get $start) (local.get $i)) (i32.sub (local.get $c) (i32.const 32)))))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))
    (call $done (local.get $start)))

  ;; {"greeting":"Hello, <name>!"}: the name is the string after "name":" in the payload
  ;; (the runtime hands the payload over as compact JSON), "world" when there is none
  (func $greet (param $p i32) (param $len i32) (param $signed i32) (result i64)
    (local $i i32) (local $from i32) (local $to i32) (local $start i32)
    (local.set $from (i32.const -1))
    (block $found
      (loop $scan
        (br_if $found (i32.gt_u (i32.add (local.get $i) (i32.const 8)) (local.get $len)))
        (if (call $eq (i32.add (local.get $p) (local.get $i)) (i32.const 8) (i32.const 48) (i32.const 8))
          (then (local.set $from (i32.add (local.get $i) (i32.const 8))) (br $found)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $scan)))
    (local.set $to (local.get $from))
    (if (i32.ge_s (local.get $from) (i32.const 0))
      (then
        (block $end
          (loop $next
            (br_if $end (i32.ge_u (local.get $to) (local.get $len)))
            (br_if $end (i32.eq (i32.load8_u (i32.add (local.get $p) (local.get $to))) (i32.const 34)))
            (if (i32.eq (i32.load8_u (i32.add (local.get $p) (local.get $to))) (i32.const 92))
              (then (local.set $to (i32.add (local.get $to) (i32.const 1)))))
            (local.set $to (i32.add (local.get $to) (i32.const 1)))
            (br $next)))))
    (local.set $start (call $begin (i32.add (i32.const 32) (local.get $len))))
    (call $emit (i32.const 64) (i32.const 20))
    (if (i32.gt_s (local.get $to) (local.get $from))
      (then (call $emit (i32.add (local.get $p) (local.get $from)) (i32.sub (local.get $to) (local.get $from))))
      (else (call $emit (i32.const 112) (i32.const 5))))
    (if (local.get $signed)
      (then (call $emit (i32.const 288) (i32.const 23)))
      (else (call $emit (i32.const 96) (i32.const 3))))
    (call $done (local.get $start)))

  ;; a message from another plugin: greet answers like the action, signed with this plugin's id
  (func (export "on_message") (param $t i32) (param $tl i32) (param $d i32) (param $dl i32)
                              (param $from i32) (param $fl i32) (result i64)
    (if (call $eq (local.get $t) (local.get $tl) (i32.const 32) (i32.const 5))
      (then (return (call $greet (local.get $d) (local.get $dl) (i32.const 1)))))
    (call $set_error (i32.const 320) (i32.const 44))
    (i64.const 0))

  (func (export "execute") (param $t i32) (param $tl i32) (param $p i32) (param $pl i32) (result i64)
    (local $start i32)
    (if (call $eq (local.get $t) (local.get $tl) (i32.const 16) (i32.const 4))
      (then (return (call $pack (local.get $p) (local.get $pl)))))
    (if (call $eq (local.get $t) (local.get $tl) (i32.const 24) (i32.const 5))
      (then (return (call $upper (local.get $p) (local.get $pl)))))
    (if (call $eq (local.get $t) (local.get $tl) (i32.const 32) (i32.const 5))
      (then (return (call $greet (local.get $p) (local.get $pl) (i32.const 0)))))
    (local.set $start (call $begin (i32.add (i32.const 64) (local.get $tl))))
    (call $emit (i32.const 128) (i32.const 21))
    (call $emit (local.get $t) (local.get $tl))
    (call $emit (i32.const 160) (i32.const 26))
    (call $set_error (local.get $start) (i32.sub (global.get $out) (local.get $start)))
    (i64.const 0))
)
