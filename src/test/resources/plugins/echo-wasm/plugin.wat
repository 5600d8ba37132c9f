;; Test fixture for the WebAssembly runtime (ABI.md). Built into plugin.wasm by
;; `make wasm-fixtures` (wat2wasm); both files are committed.
;; Actions: echo, fail, trap, spin, grow (payload = pages), usage, send (payload = message
;; to hello-node), log, write / read (data/note.txt through WASI), escape (../etc/passwd),
;; fill (grows the memory page by page until memory.grow fails, writes every byte, answers the pages),
;; exit (WASI proc_exit with the payload as status).
(module
  (import "logomesh" "log" (func $log (param i32 i32 i32)))
  (import "logomesh" "set_error" (func $set_error (param i32 i32)))
  (import "logomesh" "send_message" (func $send_message (param i32 i32 i32 i32) (result i64)))
  (import "logomesh" "get_resource_usage" (func $get_resource_usage (result i64)))
  (import "wasi_snapshot_preview1" "path_open"
    (func $path_open (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_read" (func $fd_read (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_close" (func $fd_close (param i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))

  (memory (export "memory") 2)
  (global $heap (mut i32) (i32.const 65536))

  (data (i32.const 16) "echo")
  (data (i32.const 24) "fail")
  (data (i32.const 32) "trap")
  (data (i32.const 40) "spin")
  (data (i32.const 48) "grow")
  (data (i32.const 56) "usage")
  (data (i32.const 64) "send")
  (data (i32.const 72) "log")
  (data (i32.const 80) "write")
  (data (i32.const 88) "read")
  (data (i32.const 96) "escape")
  (data (i32.const 112) "boom: plugin said no")
  (data (i32.const 144) "hello-node")
  (data (i32.const 160) "note.txt")
  (data (i32.const 176) "hello from wasm")
  (data (i32.const 200) "../etc/passwd")
  (data (i32.const 224) "hi from wasm")
  (data (i32.const 240) "{\"ok\":true}")
  (data (i32.const 256) "unknown action")
  (data (i32.const 272) "fill")
  (data (i32.const 280) "exit")

  ;; bump allocator: 8-byte aligned, grows the memory when needed, 0 when it cannot
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
    (local.get $ptr))
  (func (export "dealloc") (param i32 i32))

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

  ;; decimal digits at ptr..ptr+len (non-digits ignored)
  (func $atoi (param $ptr i32) (param $len i32) (result i32)
    (local $i i32) (local $n i32) (local $c i32)
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $len)))
        (local.set $c (i32.load8_u (i32.add (local.get $ptr) (local.get $i))))
        (if (i32.and (i32.ge_u (local.get $c) (i32.const 48)) (i32.le_u (local.get $c) (i32.const 57)))
          (then (local.set $n (i32.add (i32.mul (local.get $n) (i32.const 10))
                                       (i32.sub (local.get $c) (i32.const 48))))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))
    (local.get $n))

  ;; a signed integer as JSON text, written backwards from 560
  (func $itoa (param $n i32) (result i64)
    (local $p i32) (local $neg i32) (local $start i32) (local $len i32)
    (local.set $p (i32.const 560))
    (local.set $neg (i32.lt_s (local.get $n) (i32.const 0)))
    (if (local.get $neg) (then (local.set $n (i32.sub (i32.const 0) (local.get $n)))))
    (loop $digit
      (local.set $p (i32.sub (local.get $p) (i32.const 1)))
      (i32.store8 (local.get $p) (i32.add (i32.const 48) (i32.rem_u (local.get $n) (i32.const 10))))
      (local.set $n (i32.div_u (local.get $n) (i32.const 10)))
      (br_if $digit (i32.ne (local.get $n) (i32.const 0))))
    (if (local.get $neg)
      (then (local.set $p (i32.sub (local.get $p) (i32.const 1)))
            (i32.store8 (local.get $p) (i32.const 45))))
    (call $pack (local.get $p) (i32.sub (i32.const 560) (local.get $p))))

  ;; a host call's answer: the result as is, or the error reported with set_error
  (func $answer (param $r i64) (result i64)
    (local $p i64)
    (if (i64.lt_s (local.get $r) (i64.const 0))
      (then
        (local.set $p (i64.sub (i64.const 0) (local.get $r)))
        (call $set_error (i32.wrap_i64 (i64.shr_u (local.get $p) (i64.const 32))) (i32.wrap_i64 (local.get $p)))
        (return (i64.const 0))))
    (local.get $r))

  (func $open (param $path i32) (param $len i32) (param $oflags i32) (param $rights i64) (result i32)
    (call $path_open (i32.const 3) (i32.const 0) (local.get $path) (local.get $len) (local.get $oflags)
      (local.get $rights) (i64.const 0) (i32.const 0) (i32.const 600)))

  (func (export "execute") (param $t i32) (param $tl i32) (param $p i32) (param $pl i32) (result i64)
    (local $errno i32)
    (if (call $eq (local.get $t) (local.get $tl) (i32.const 16) (i32.const 4))
      (then (return (call $pack (local.get $p) (local.get $pl)))))
    (if (call $eq (local.get $t) (local.get $tl) (i32.const 24) (i32.const 4))
      (then (call $set_error (i32.const 112) (i32.const 20)) (return (i64.const 0))))
    (if (call $eq (local.get $t) (local.get $tl) (i32.const 32) (i32.const 4))
      (then unreachable))
    (if (call $eq (local.get $t) (local.get $tl) (i32.const 40) (i32.const 4))
      (then (loop $forever (br $forever))))
    (if (call $eq (local.get $t) (local.get $tl) (i32.const 48) (i32.const 4))
      (then (return (call $itoa (memory.grow (call $atoi (local.get $p) (local.get $pl)))))))
    (if (call $eq (local.get $t) (local.get $tl) (i32.const 56) (i32.const 5))
      (then (return (call $answer (call $get_resource_usage)))))
    (if (call $eq (local.get $t) (local.get $tl) (i32.const 64) (i32.const 4))
      (then (return (call $answer
        (call $send_message (i32.const 144) (i32.const 10) (local.get $p) (local.get $pl))))))
    (if (call $eq (local.get $t) (local.get $tl) (i32.const 72) (i32.const 3))
      (then (call $log (i32.const 1) (i32.const 224) (i32.const 12))
            (return (call $pack (i32.const 240) (i32.const 11)))))
    (if (call $eq (local.get $t) (local.get $tl) (i32.const 80) (i32.const 5))
      (then
        ;; O_CREAT | O_TRUNC, right fd_write
        (local.set $errno (call $open (i32.const 160) (i32.const 8) (i32.const 9) (i64.const 0x40)))
        (if (i32.eqz (local.get $errno))
          (then
            (i32.store (i32.const 608) (i32.const 176))
            (i32.store (i32.const 612) (i32.const 15))
            (local.set $errno (call $fd_write (i32.load (i32.const 600)) (i32.const 608) (i32.const 1) (i32.const 616)))
            (drop (call $fd_close (i32.load (i32.const 600))))))
        (return (call $itoa (local.get $errno)))))
    (if (call $eq (local.get $t) (local.get $tl) (i32.const 88) (i32.const 4))
      (then
        ;; right fd_read; answers the bytes read, or -errno
        (local.set $errno (call $open (i32.const 160) (i32.const 8) (i32.const 0) (i64.const 0x2)))
        (if (local.get $errno) (then (return (call $itoa (i32.sub (i32.const 0) (local.get $errno))))))
        (i32.store (i32.const 608) (i32.const 1024))
        (i32.store (i32.const 612) (i32.const 256))
        (local.set $errno (call $fd_read (i32.load (i32.const 600)) (i32.const 608) (i32.const 1) (i32.const 616)))
        (drop (call $fd_close (i32.load (i32.const 600))))
        (if (local.get $errno) (then (return (call $itoa (i32.sub (i32.const 0) (local.get $errno))))))
        (return (call $itoa (i32.load (i32.const 616))))))
    (if (call $eq (local.get $t) (local.get $tl) (i32.const 96) (i32.const 6))
      (then (return (call $itoa (call $open (i32.const 200) (i32.const 13) (i32.const 0) (i64.const 0x2))))))
    (if (call $eq (local.get $t) (local.get $tl) (i32.const 272) (i32.const 4))
      (then
        (block $full (loop $more (br_if $full (i32.eq (memory.grow (i32.const 1)) (i32.const -1))) (br $more)))
        (memory.fill (i32.const 65536) (i32.const 1) (i32.mul (i32.sub (memory.size) (i32.const 1)) (i32.const 65536)))
        (return (call $itoa (memory.size)))))
    (if (call $eq (local.get $t) (local.get $tl) (i32.const 280) (i32.const 4))
      (then (call $proc_exit (call $atoi (local.get $p) (local.get $pl)))))
    (call $set_error (i32.const 256) (i32.const 14))
    (i64.const 0))
)
