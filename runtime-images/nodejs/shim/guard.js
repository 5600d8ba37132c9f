'use strict';
// Defence in depth at securityLevel "minimal" (the container stays the real boundary): plugin code
// may not load the built-in modules that start processes or threads, open sockets, or reach the
// debugger. The shim loads what it needs (node:net) before the guard is installed.
// Node's permission model (--permission, set by the host in NODE_OPTIONS) refuses child processes
// and workers underneath this, including for ES module imports that bypass require().
const Module = require('node:module');

const REFUSED_AT_MINIMAL = new Set([
  'child_process', 'worker_threads', 'cluster', 'net', 'dgram', 'http', 'https', 'http2', 'tls', 'dns',
  'inspector', 'inspector/promises', 'repl', 'trace_events', 'wasi', 'dns/promises', 'vm',
]);

function refusedName(request) {
  if (typeof request !== 'string') return null;
  const name = request.startsWith('node:') ? request.slice(5) : request;
  return REFUSED_AT_MINIMAL.has(name) ? name : null;
}

/** Installs the module allow-list when the level asks for it; returns whether it did. */
function installGuard(level) {
  if (level !== 'minimal') return false;
  const load = Module._load;
  Module._load = function guardedLoad(request, parent, isMain) {
    const refused = refusedName(request);
    if (refused) {
      const err = new Error(`module '${refused}' is not available to plugins at securityLevel minimal`);
      err.code = 'ERR_LOGOMESH_MODULE_REFUSED';
      throw err;
    }
    return load.call(this, request, parent, isMain);
  };
  if (typeof process.binding === 'function') {
    process.binding = () => { throw new Error('process.binding is not available to plugins at securityLevel minimal'); };
  }
  return true;
}

module.exports = { installGuard, REFUSED_AT_MINIMAL };
