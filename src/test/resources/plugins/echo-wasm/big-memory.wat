;; Test fixture: declares a memory maximum of 4096 pages (256 MiB), above any cap the
;; default limits give (refused at activation).
(module
  (memory (export "memory") 1 4096)
  (func (export "alloc") (param i32) (result i32) (i32.const 1024))
  (func (export "activate") (result i32) (i32.const 0))
  (func (export "deactivate") (result i32) (i32.const 0))
  (func (export "execute") (param i32 i32 i32 i32) (result i64) (i64.const 0))
)
