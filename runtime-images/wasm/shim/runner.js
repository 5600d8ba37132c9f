'use strict';
// Main-thread side of the WebAssembly runtime: answers PROTOCOL.md requests by driving the
// worker thread that owns the module (worker.js), serves the worker's synchronous host calls
// over the IPC connection, and replaces a worker that outlives the execution limit.
const path = require('node:path');
const { Worker } = require('node:worker_threads');
const { RpcError } = require('./rpc');
const { PAGE } = require('./module-check');

/** Memory the runtime itself (Node.js, the worker) needs beside the module's linear memory. */
const RUNTIME_RESERVE_MB = 48;
/** The shim ends a spinning call this long after the host's own limit (the host acts first). */
const GRACE_MS = 1000;

function envInt(name, fallback) {
  const n = Number.parseInt(process.env[name] || '', 10);
  return Number.isInteger(n) && n > 0 ? n : fallback;
}

/** Linear-memory cap in 64 KiB pages: maxMemoryMB minus the runtime's reserve, at least 1 MiB. */
function capPagesFor(maxMemoryMB) {
  return Math.max(1, maxMemoryMB - RUNTIME_RESERVE_MB) * ((1024 * 1024) / PAGE);
}

class WasmRunner {
  constructor(conn, { maxFrame }) {
    this.conn = conn;
    this.maxFrame = maxFrame;
    this.limitMs = envInt('LOGOMESH_MAX_EXECUTION_MS', 30000) + GRACE_MS;
    this.capPages = capPagesFor(envInt('LOGOMESH_MAX_MEMORY_MB', 128));
    this.settings = null;
    this.worker = null;
    this.seq = 0;
    this.pending = new Map();
    this.queue = Promise.resolve();
    this.activated = false;
    this.spawn(); // started before initialize arrives: the worker's start-up overlaps the handshake
  }

  /** A cell's `load` set the plugin's limits (serve.js): read them again. */
  reload() {
    this.limitMs = envInt('LOGOMESH_MAX_EXECUTION_MS', 30000) + GRACE_MS;
    this.capPages = capPagesFor(envInt('LOGOMESH_MAX_MEMORY_MB', 128));
  }

  initialize({ pluginId, config } = {}) {
    if (this.settings) return Promise.reject(new RpcError('bad_state', 'the plugin is already initialized'));
    this.settings = {
      pluginId: pluginId || process.env.LOGOMESH_PLUGIN_ID || '',
      config: config && typeof config === 'object' ? config : {},
      main: process.env.LOGOMESH_MAIN || 'plugin.wasm',
      dataDir: process.env.LOGOMESH_DATA_DIR || null,
      capPages: this.capPages,
    };
    if (!this.worker) this.spawn();
    return this.enqueue('load', this.settings).catch((err) => {
      this.settings = null;
      this.stopWorker();
      throw err;
    });
  }

  activate() {
    return this.lifecycle('activate').then(() => {
      this.activated = true;
      return null;
    });
  }

  deactivate() {
    this.activated = false;
    return this.lifecycle('deactivate');
  }

  dispose() {
    return this.lifecycle('dispose');
  }

  execute({ action } = {}) {
    if (!action || typeof action !== 'object') return Promise.reject(new RpcError('bad_request', 'execute needs an action object'));
    return this.lifecycle('execute', { type: String(action.type ?? ''), payload: action.payload ?? null });
  }

  message({ from, message: msg } = {}) {
    if (!msg || typeof msg !== 'object' || typeof msg.type !== 'string') {
      return Promise.reject(new RpcError('bad_request', 'message needs {type, data}'));
    }
    return this.lifecycle('message', { type: msg.type, data: msg.data ?? null, from: String(from ?? '') });
  }

  event({ from, topic, data } = {}) {
    if (!this.settings) return;
    this.lifecycle('event', { topic: String(topic), data: data ?? null, from: String(from ?? '') })
      .catch((err) => this.conn.notify('log', { level: 'error', message: `on_event for '${topic}' failed: ${err.message}` }));
  }

  lifecycle(op, params = {}) {
    if (!this.settings) return Promise.reject(new RpcError('not_initialized', 'the plugin has not been initialized'));
    return this.enqueue(op, params);
  }

  /** One call at a time: the module is single-threaded, and the time limit starts when a call starts. */
  enqueue(op, params) {
    const run = this.queue.then(() => this.send(op, params));
    this.queue = run.catch(() => {});
    return run;
  }

  send(op, params) {
    const worker = this.worker;
    const seq = ++this.seq;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => this.expire(worker, seq, op), this.limitMs);
      this.pending.set(seq, { resolve, reject, timer });
      worker.postMessage({ seq, op, params });
    });
  }

  /** A call outlived the limit: the worker (and its instance) is discarded and a fresh one made. */
  expire(worker, seq, op) {
    const call = this.pending.get(seq);
    if (!call || worker !== this.worker) return;
    this.pending.delete(seq);
    this.conn.notify('log', { level: 'warn', message: `${op} ran past ${this.limitMs} ms; replacing the module instance` });
    this.stopWorker();
    this.spawn();
    // posted before anything queued behind the expired call, so the fresh instance is ready first
    const steps = [this.send('load', this.settings)];
    if (this.activated) steps.push(this.send('activate', {}));
    call.reject(new RpcError('timeout', `${op} ran past ${this.limitMs} ms; the module instance was discarded`));
    this.queue = Promise.all(steps).catch((err) => {
      this.conn.notify('log', { level: 'error', message: `restarting the module failed: ${err.message}` });
    });
  }

  spawn() {
    const ctrl = new SharedArrayBuffer(8);
    const answer = new SharedArrayBuffer(this.maxFrame + 64);
    const worker = new Worker(path.join(__dirname, 'worker.js'), { workerData: { ctrl, answer } });
    worker.channel = { ctrl: new Int32Array(ctrl), answer: new Uint8Array(answer) };
    worker.on('message', (msg) => this.onWorkerMessage(worker, msg));
    worker.on('error', (err) => {
      this.conn.notify('log', { level: 'error', message: `module worker failed: ${err && err.message}` });
    });
    worker.on('exit', (code) => {
      if (worker.stopping) return;
      // proc_exit from the module (or a worker crash) ends the runtime, like process.exit in Node.js.
      process.exit(code);
    });
    this.worker = worker;
    // its first request, before anything the host asks: the worker's warm-up, and the first round trip both ways
    this.send('warmUp', {}).catch(() => {});
  }

  stopWorker() {
    const worker = this.worker;
    this.worker = null;
    if (!worker) return;
    worker.stopping = true;
    worker.terminate();
    for (const [seq, call] of this.pending) {
      clearTimeout(call.timer);
      this.pending.delete(seq);
      call.reject(new RpcError('closed', 'the module instance was discarded'));
    }
  }

  onWorkerMessage(worker, msg) {
    if (msg.kind === 'reply') {
      const call = this.pending.get(msg.seq);
      if (!call || worker !== this.worker) return;
      this.pending.delete(msg.seq);
      clearTimeout(call.timer);
      if (msg.error) call.reject(new RpcError(msg.error.code, msg.error.message));
      else call.resolve(msg.result === undefined ? null : msg.result);
    } else if (msg.kind === 'log') {
      this.conn.notify('log', { level: msg.level, message: msg.message });
    } else if (msg.kind === 'hostcall') {
      this.serveHostCall(worker, msg);
    }
  }

  /** Does the worker's host request over IPC and wakes it with the answer. */
  serveHostCall(worker, { method, params }) {
    Promise.resolve()
      .then(() => this.conn.request(method, params))
      .then((result) => ({ result: result === undefined ? null : result }),
        (err) => ({ error: { code: err.code || 'internal_error', message: String(err.message) } }))
      .then((reply) => {
        let bytes = Buffer.from(JSON.stringify(reply), 'utf8');
        if (bytes.length > worker.channel.answer.length) {
          bytes = Buffer.from(JSON.stringify({ error: { code: 'frame_too_large', message: 'the host answer is too large' } }));
        }
        worker.channel.answer.set(bytes);
        Atomics.store(worker.channel.ctrl, 1, bytes.length);
        Atomics.store(worker.channel.ctrl, 0, 1);
        Atomics.notify(worker.channel.ctrl, 0);
      });
  }
}

module.exports = { WasmRunner, capPagesFor };
