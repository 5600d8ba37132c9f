'use strict';
// LogoMesh Node.js runtime shim: connects to the host socket and serves PROTOCOL.md v1.
const { serve } = require('./serve');
const { PluginRunner } = require('./plugin');
const { installGuard } = require('./guard');
const { installEgress } = require('./egress');

const levelNow = () => process.env.LOGOMESH_SECURITY_LEVEL || 'minimal';
// Before any plugin code: minimal may never hold network, and its guard refuses sockets anyway. A prewarmed cell
// has no level yet (it arrives with `load`), but its pool has one, fixed when the process starts (Node's
// permission flags): LOGOMESH_CELL_EGRESS=1 says it is not minimal, so the forwarder starts now, while the cell
// waits idle, not on the activation path (it answers 403 until a networked plugin's egress.sock is there).
const IN_CELL = process.env.LOGOMESH_CELL === '1';
const wantsEgress = IN_CELL ? process.env.LOGOMESH_CELL_EGRESS === '1' : levelNow() !== 'minimal';
const egress = wantsEgress ? installEgress() : Promise.resolve(false);

egress.then(() => serve({
  createRunner: (conn) => new PluginRunner(conn),
  beforeReady: () => installGuard(levelNow()),
  ready: { runtime: 'nodejs', runtimeVersion: process.versions.node },
}));
