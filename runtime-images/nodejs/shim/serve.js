'use strict';
// The part every Node.js-based runtime shim shares (nodejs, wasm): connect to the host socket
// (retrying while it appears), route PROTOCOL.md v1 to a runner, report stray errors, exit
// with 0 after `shutdown` and 70 when the host goes away.
const net = require('node:net');
const util = require('node:util');
const { Connection, RpcError } = require('./rpc');

const EXIT_LOST_HOST = 70;
const DEFAULT_MAX_FRAME = 1024 * 1024;
const CONNECT_ATTEMPTS = 50; // 100 ms apart: tolerates a socket that appears just after start
const IN_CELL = process.env.LOGOMESH_CELL === '1';
const LIFECYCLE = new Set(['load', 'initialize', 'activate', 'deactivate', 'dispose']);
const START = new Set(['load', 'initialize', 'activate']);
/** `load` params (PROTOCOL.md, "Prewarmed cells") and the variables they set, as the cold path's env would. */
const LOAD_FIELDS = [
  ['pluginId', 'LOGOMESH_PLUGIN_ID', 'string'],
  ['main', 'LOGOMESH_MAIN', 'string'],
  ['securityLevel', 'LOGOMESH_SECURITY_LEVEL', 'string'],
  ['maxMemoryMB', 'LOGOMESH_MAX_MEMORY_MB', 'number'],
  ['maxExecutionMs', 'LOGOMESH_MAX_EXECUTION_MS', 'number'],
  ['maxConcurrency', 'LOGOMESH_MAX_CONCURRENCY', 'number'],
];

/** Sets the plugin's settings from a `load` frame; refuses a missing or mistyped field. */
function applyLoad(params) {
  for (const [field, name, type] of LOAD_FIELDS) {
    const value = params ? params[field] : undefined;
    if (typeof value !== type || (type === 'string' && (value.length === 0 || value.length > 256))
        || (type === 'number' && !(Number.isInteger(value) && value > 0))) {
      throw new RpcError('bad_load', `load needs ${field} (${type})`);
    }
    process.env[name] = String(value);
  }
}

/**
 * A cell runs the code of a start once before it says `ready` (the runner's rehearsal, if it has one, and the
 * lifecycle queue): run for the first time in a process, it costs a prewarmed start about a millisecond. A
 * failure is only logged; the cell still serves.
 */
async function warmUp(runner, inOrder, noop) {
  try {
    if (typeof runner.warmUp === 'function') await runner.warmUp();
    await inOrder('ping', noop, {});
  } catch (err) {
    process.stderr.write(`logomesh shim: the warm-up failed: ${err && err.message}\n`);
  }
}

function maxFrameFromEnv() {
  const n = Number.parseInt(process.env.LOGOMESH_MAX_FRAME || '', 10);
  return Number.isInteger(n) && n > 0 ? n : DEFAULT_MAX_FRAME;
}

function connect(socketPath, attempt = 1) {
  return new Promise((resolve, reject) => {
    const socket = net.createConnection(socketPath);
    socket.once('connect', () => {
      socket.removeAllListeners('error');
      resolve(socket);
    });
    socket.once('error', (err) => {
      socket.destroy();
      if (attempt >= CONNECT_ATTEMPTS) return reject(err);
      setTimeout(() => connect(socketPath, attempt + 1).then(resolve, reject), 100);
    });
  });
}

/**
 * Connects to the host and serves the protocol: lifecycle requests go to the runner that
 * {@code createRunner(conn)} returns; {@code beforeReady()} runs just before the `ready`
 * notification, whose params are {@code ready} (plus the protocol version).
 */
async function serve({ createRunner, beforeReady = () => {}, ready }) {
  const socketPath = process.env.LOGOMESH_SOCKET || '/run/logomesh/host.sock';
  let socket;
  try {
    socket = await connect(socketPath);
  } catch (err) {
    process.stderr.write(`logomesh shim: cannot connect to ${socketPath}: ${err.message}\n`);
    process.exit(EXIT_LOST_HOST);
  }

  let shuttingDown = false;
  let runner = null;
  let loaded = !IN_CELL;
  const requests = {
    // a cell (LOGOMESH_CELL=1) waits, idle on its socket, for `load`: the plugin's settings, then its guard
    load: (p) => {
      if (loaded) throw new RpcError('bad_state', 'this runtime already serves a plugin');
      applyLoad(p);
      loaded = true;
      if (typeof runner.reload === 'function') runner.reload();
      beforeReady();
      return null;
    },
    initialize: (p) => {
      if (!loaded) throw new RpcError('not_loaded', 'a cell needs load before initialize');
      return runner.initialize(p);
    },
    ping: () => null, // any time: the host sends a cell one before it joins the pool
    activate: (p) => runner.activate(p),
    execute: (p) => runner.execute(p),
    message: (p) => runner.message(p),
    deactivate: (p) => runner.deactivate(p),
    dispose: (p) => runner.dispose(p),
  };
  // The host may send load, initialize and activate together (PROTOCOL.md, "Sequence"): lifecycle requests run
  // one after another in the order they came, and once load, initialize or activate has failed, the start
  // requests after it are refused with `aborted` (no plugin code runs past a failed step).
  let lifecycle = Promise.resolve();
  let startFailed = false;
  const inOrder = (method, handler, params) => {
    const run = async () => {
      if (startFailed && START.has(method)) throw new RpcError('aborted', `an earlier start step failed; ${method} was not run`);
      try {
        return await handler(params);
      } catch (err) {
        if (START.has(method)) startFailed = true;
        throw err;
      }
    };
    const result = lifecycle.then(run);
    lifecycle = result.catch(() => {});
    return result;
  };
  const conn = new Connection(socket, {
    maxFrame: maxFrameFromEnv(),
    onRequest(method, params) {
      const handler = Object.hasOwn(requests, method) ? requests[method] : null;
      if (!handler) throw new RpcError('unknown_method', `unknown method '${method}'`);
      return LIFECYCLE.has(method) ? inOrder(method, handler, params) : handler(params);
    },
    onNotification(method, params) {
      if (method === 'event') {
        runner.event(params);
      } else if (method === 'config' && typeof runner.configChanged === 'function') {
        runner.configChanged(params); // the WebAssembly runner has no ctx.on: it ignores the event
      } else if (method === 'shutdown') {
        shuttingDown = true;
        conn.close();
      }
    },
    onGarbage(count) {
      conn.notify('log', { level: 'warn', message: `dropped a malformed frame (${count} so far)` });
    },
    onClose() {
      process.exit(shuttingDown ? 0 : EXIT_LOST_HOST);
    },
  });
  runner = createRunner(conn);

  const report = (what) => (err) => {
    const text = err instanceof Error ? (err.stack || err.message) : util.inspect(err);
    if (!conn.notify('log', { level: 'error', message: `${what}: ${text}`.slice(0, 32 * 1024) })) {
      process.stderr.write(`${what}: ${text}\n`);
    }
  };
  process.on('uncaughtException', report('uncaught exception'));
  process.on('unhandledRejection', report('unhandled rejection'));

  if (IN_CELL) await warmUp(runner, inOrder, requests.ping);
  if (!IN_CELL) beforeReady();
  conn.notify('ready', IN_CELL ? { ...ready, protocol: 1, cell: true } : { ...ready, protocol: 1 });
}

module.exports = { serve, maxFrameFromEnv };
