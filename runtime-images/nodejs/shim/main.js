'use strict';
// LogoMesh Node.js runtime shim: connects to the host socket and serves PROTOCOL.md v1.
const { serve } = require('./serve');
const { PluginRunner } = require('./plugin');
const { installGuard } = require('./guard');

serve({
  createRunner: (conn) => new PluginRunner(conn),
  beforeReady: () => installGuard(process.env.LOGOMESH_SECURITY_LEVEL || 'minimal'),
  ready: { runtime: 'nodejs', runtimeVersion: process.versions.node },
});
