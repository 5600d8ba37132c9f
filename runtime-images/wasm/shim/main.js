'use strict';
// LogoMesh WebAssembly runtime shim: connects to the host socket and serves PROTOCOL.md v1 by
// calling a WASI module's exports (ABI.md). serve.js, framing.js and rpc.js are the Node.js shim's own files.
const { serve, maxFrameFromEnv } = require('./serve');
const { WasmRunner } = require('./runner');

serve({
  createRunner: (conn) => new WasmRunner(conn, { maxFrame: maxFrameFromEnv() }),
  ready: { runtime: 'webassembly', runtimeVersion: `node ${process.versions.node} (V8 ${process.versions.v8})` },
});
