'use strict';
// LogoMesh Node.js runtime shim: connects to the host socket and serves PROTOCOL.md v1.
const { serve } = require('./serve');
const { PluginRunner } = require('./plugin');
const { installGuard } = require('./guard');
const { installEgress } = require('./egress');

const levelNow = () => process.env.LOGOMESH_SECURITY_LEVEL || 'minimal';
// Before any plugin code: minimal may never hold network, and its guard refuses sockets anyway. A prewarmed cell
// has no level yet: it arrives with `load`, which starts the forwarder (onLoad) before the guard (beforeReady).
const egress = levelNow() === 'minimal' ? Promise.resolve(false) : installEgress();

egress.then(() => serve({
  createRunner: (conn) => new PluginRunner(conn),
  onLoad: () => (levelNow() === 'minimal' ? null : installEgress()),
  beforeReady: () => installGuard(levelNow()),
  ready: { runtime: 'nodejs', runtimeVersion: process.versions.node },
}));
