;; Test fixture: imports logomesh.foo, which the host does not provide (refused at activation).
(module
  (import "logomesh" "foo" (func $foo (param i32)))
  (memory (export "memory") 1)
  (func (export "alloc") (param i32) (result i32) (i32.const 1024))
  (func (export "activate") (result i32) (i32.const 0))
  (func (export "deactivate") (result i32) (i32.const 0))
  (func (export "execute") (param i32 i32 i32 i32) (result i64) (call $foo (i32.const 1)) (i64.const 0))
)
