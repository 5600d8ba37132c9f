;; Test fixture: activate never returns. The runtime's own limit (maxExecutionTimeMs + 1 s)
;; ends it before the host's activation timeout: the worker is terminated, `timeout` answered.
(module
  (memory (export "memory") 1)
  (func (export "alloc") (param i32) (result i32) (i32.const 1024))
  (func (export "activate") (result i32) (loop $forever (br $forever)) (i32.const 0))
  (func (export "deactivate") (result i32) (i32.const 0))
  (func (export "execute") (param i32 i32 i32 i32) (result i64) (i64.const 0))
)
