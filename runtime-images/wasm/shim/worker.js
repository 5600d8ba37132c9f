'use strict';
// The worker thread that owns the plugin's WebAssembly instance (ABI.md). The main thread
// keeps the host connection; this thread runs module code synchronously and, for a host call,
// posts the request and blocks on Atomics.wait until the main thread has the answer.
const fs = require('node:fs');
const path = require('node:path');
const { parentPort, workerData } = require('node:worker_threads');
const { WASI } = require('node:wasi');
const { CheckError, compile, checkImports, capMemory } = require('./module-check');

const LEVELS = ['debug', 'info', 'warn', 'error'];
const MAX_LOG_CHARS = 32 * 1024;
const REQUIRED = ['memory', 'alloc', 'activate', 'deactivate', 'execute'];
/** Plugin → host requests a module may make through `host_call` (PROTOCOL.md, "Plugin → host"). */
const HOST_METHODS = new Set(['sendMessage', 'emit', 'getResourceUsage', 'requestResource', 'releaseResource',
  'requestPermission', 'auditLog']);
const IMPORTS = ['log', 'set_error', 'send_message', 'get_resource_usage', 'host_call'];

const ctrl = new Int32Array(workerData.ctrl); // [0] 0 = waiting, 1 = answered; [1] answer length
const answer = new Uint8Array(workerData.answer);
const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

class CallError extends Error {
  constructor(code, message) {
    super(message);
    this.code = code;
  }
}

const state = { module: null, settings: null, exports: null, error: null, broken: false, activated: false };

function memoryBytes(ptr, len) {
  const buf = state.exports.memory.buffer;
  const p = ptr >>> 0;
  const n = len >>> 0;
  if (p + n > buf.byteLength) {
    throw new CallError('bad_plugin', `the module handed out bytes ${p}..${p + n} beyond its memory of ${buf.byteLength}`);
  }
  return new Uint8Array(buf, p, n);
}

function readString(ptr, len) {
  try {
    return decoder.decode(memoryBytes(ptr, len));
  } catch (err) {
    if (err instanceof CallError) throw err;
    throw new CallError('bad_result', 'the module handed out bytes that are not UTF-8');
  }
}

/** Copies bytes into module memory through its `alloc`; returns [ptr, len] ([0, 0] when empty). */
function put(bytes) {
  if (bytes.length === 0) return [0, 0];
  const ptr = state.exports.alloc(bytes.length) >>> 0;
  if (ptr === 0) throw new CallError('plugin_error', `alloc(${bytes.length}) returned 0`);
  memoryBytes(ptr, bytes.length).set(bytes);
  return [ptr, bytes.length];
}

function free([ptr, len]) {
  if (ptr !== 0 && typeof state.exports.dealloc === 'function') state.exports.dealloc(ptr, len);
}

function pack([ptr, len]) {
  return (BigInt(ptr) << 32n) | BigInt(len);
}

/** Answers a host import: the JSON placed in module memory, negated when it is an error. */
function toModule(value, isError) {
  const packed = pack(put(encoder.encode(JSON.stringify(value === undefined ? null : value))));
  return isError ? -packed : packed;
}

/** A synchronous request to the host: the main thread does the IPC while this thread waits. */
function hostCall(method, params) {
  Atomics.store(ctrl, 0, 0);
  parentPort.postMessage({ kind: 'hostcall', method, params });
  Atomics.wait(ctrl, 0, 0);
  const reply = JSON.parse(decoder.decode(answer.slice(0, ctrl[1])));
  return 'error' in reply ? toModule(reply.error, true) : toModule(reply.result, false);
}

/** set_error text; a host error object handed on as is (`{"code", "message"}`) reads `code: message`. */
function errorText(text) {
  try {
    const e = JSON.parse(text);
    if (e && typeof e.code === 'string' && typeof e.message === 'string') return `${e.code}: ${e.message}`;
  } catch {
    // plain text
  }
  return text;
}

function parseJson(text, what) {
  try {
    return { value: JSON.parse(text) };
  } catch {
    return { error: toModule({ code: 'bad_request', message: `${what} is not valid JSON` }, true) };
  }
}

function hostImports() {
  return {
    log(level, ptr, len) {
      let message = readString(ptr, len);
      if (message.length > MAX_LOG_CHARS) message = `${message.slice(0, MAX_LOG_CHARS)}… (truncated)`;
      parentPort.postMessage({ kind: 'log', level: LEVELS[level] || 'info', message });
    },
    set_error(ptr, len) {
      state.error = errorText(readString(ptr, len));
    },
    send_message(targetPtr, targetLen, msgPtr, msgLen) {
      const message = parseJson(readString(msgPtr, msgLen), 'the message');
      if (message.error !== undefined) return message.error;
      return hostCall('sendMessage', { target: readString(targetPtr, targetLen), message: message.value });
    },
    get_resource_usage() {
      return hostCall('getResourceUsage', {});
    },
    host_call(methodPtr, methodLen, paramsPtr, paramsLen) {
      const method = readString(methodPtr, methodLen);
      if (!HOST_METHODS.has(method)) {
        return toModule({ code: 'unknown_method', message: `'${method}' is not a host method` }, true);
      }
      const params = parseJson(paramsLen === 0 ? '{}' : readString(paramsPtr, paramsLen), 'the params');
      if (params.error !== undefined) return params.error;
      return hostCall(method, params.value);
    },
  };
}

function newWasi() {
  const preopens = state.settings.dataDir ? { '/data': state.settings.dataDir } : {};
  return new WASI({ version: 'preview1', args: [state.settings.main], env: {}, preopens, returnOnExit: false });
}

/** What a module may import: WASI preview1 (the same names for every instance) and the host's own functions. */
const PROVIDED = {
  wasi_snapshot_preview1: new Set(Object.keys(
    new WASI({ version: 'preview1', returnOnExit: false }).getImportObject().wasi_snapshot_preview1)),
  logomesh: new Set(IMPORTS),
};

/**
 * Runs the runtime's own reactor (warm-up.wat: one page of memory, two imports, one export) through the steps of
 * `load` when the worker starts: the engine's first compile, instantiation and import wrappers cost milliseconds,
 * paid here while the runtime waits (a prewarmed cell idle, a cold one connecting), not in the plugin's start.
 */
function warmUp() {
  if (state.module) return null;
  try {
    const module = compile(capMemory(fs.readFileSync(path.join(__dirname, 'warm-up.wasm')), 16), 'warm-up');
    checkImports(module, PROVIDED);
    WebAssembly.Module.exports(module);
    const wasi = new WASI({ version: 'preview1', args: ['warm-up'], env: {}, preopens: {}, returnOnExit: false });
    const instance = new WebAssembly.Instance(module, wasiImports(wasi, module));
    wasi.initialize(instance);
    instance.exports.f();
  } catch (err) {
    parentPort.postMessage({ kind: 'log', level: 'warn', message: `the runtime's warm-up failed: ${err.message}` });
  }
  return null;
}

/**
 * Compiles the plugin's file with its memory capped (module-check.js), once. The errors come in the order the
 * file as it is would give them: the compiler's message for a malformed file, then an import this host does not
 * provide, then a memory above the cap (so those paths compile the file as it is too).
 */
function checkedModule(bytes, name, capPages) {
  let capped;
  try {
    capped = capMemory(bytes, capPages);
  } catch (err) {
    checkImports(compile(bytes, name), PROVIDED);
    throw err;
  }
  let module;
  try {
    module = compile(capped, name);
  } catch (err) {
    compile(bytes, name);
    throw err;
  }
  checkImports(module, PROVIDED);
  return module;
}

function load(settings) {
  if (state.module) throw new CallError('bad_state', 'the plugin is already initialized');
  state.settings = settings;
  const file = path.resolve('/plugin', settings.main);
  let bytes;
  try {
    bytes = fs.readFileSync(file);
  } catch (err) {
    throw new CallError('load_failed', `cannot read ${settings.main}: ${err.code || err.message}`);
  }
  const module = checkedModule(bytes, settings.main, settings.capPages);
  const exported = new Set(WebAssembly.Module.exports(module).map((e) => e.name));
  const missing = REQUIRED.filter((name) => !exported.has(name));
  if (missing.length) throw new CallError('bad_plugin', `${settings.main} does not export ${missing.join(', ')}`);
  if (exported.has('_start')) {
    throw new CallError('bad_plugin', `${settings.main} is a WASI command (exports _start); build it as a reactor`);
  }
  state.module = module;
  instantiate();
  return null;
}

/**
 * The WASI functions `module` imports, each behind a plain JS function. Node's own (bound natives) cost V8 about
 * 0.4 ms per instantiation (1.5 ms the first time) to wrap; a plain function's wrapper is made once per signature.
 */
function wasiImports(wasi, module) {
  const natives = wasi.getImportObject().wasi_snapshot_preview1;
  const plain = {};
  for (const { module: from, name } of WebAssembly.Module.imports(module)) {
    if (from !== 'wasi_snapshot_preview1' || !Object.hasOwn(natives, name)) continue;
    const native = natives[name];
    plain[name] = (...args) => native(...args);
  }
  return { wasi_snapshot_preview1: plain, logomesh: hostImports() };
}

/** A fresh instance of the compiled module: `_initialize` (WASI reactor), then `initialize(config)`. */
function instantiate() {
  const wasi = newWasi();
  let instance;
  try {
    instance = new WebAssembly.Instance(state.module, wasiImports(wasi, state.module));
  } catch (err) {
    throw new CallError('load_failed', `${state.settings.main} cannot be instantiated: ${err.message}`);
  }
  state.exports = instance.exports;
  state.broken = false;
  guarded(() => wasi.initialize(instance));
  if (typeof state.exports.initialize === 'function') {
    callStatus('initialize', [encoder.encode(JSON.stringify(state.settings.config))]);
  }
}

/** Runs module code; a trap (or any throw out of the module) is `plugin_error` and spoils the instance. */
function guarded(fn) {
  state.error = null;
  try {
    return fn();
  } catch (err) {
    state.broken = true; // the module's own state (e.g. its stack pointer) may be half-updated
    if (err instanceof CallError || err instanceof CheckError) throw err;
    const text = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
    throw new CallError('plugin_error', text);
  }
}

/** Calls an export that takes byte buffers and returns an i32 status (0 = ok). */
function callStatus(name, buffers) {
  const args = [];
  const held = [];
  const status = guarded(() => {
    for (const b of buffers) {
      const slot = put(b);
      held.push(slot);
      args.push(...slot);
    }
    return state.exports[name](...args);
  });
  held.forEach(free);
  failIfReported();
  if (status !== 0 && status !== undefined) throw new CallError('plugin_error', `${name} returned ${status}`);
  return null;
}

/** Calls an export that takes byte buffers and returns a packed (ptr << 32 | len) JSON result. */
function callJson(name, buffers) {
  const args = [];
  const held = [];
  const packed = guarded(() => {
    for (const b of buffers) {
      const slot = put(b);
      held.push(slot);
      args.push(...slot);
    }
    return state.exports[name](...args);
  });
  let text = null;
  try {
    failIfReported();
    if (typeof packed !== 'bigint') throw new CallError('bad_plugin', `${name} must return an i64`);
    const value = BigInt.asUintN(64, packed);
    if (value !== 0n) {
      const slot = [Number(value >> 32n), Number(value & 0xffffffffn)];
      text = readString(...slot);
      // the result may be one of the inputs handed back (echo): freed once, with the inputs
      if (!held.some(([ptr]) => ptr === slot[0])) free(slot);
    }
  } finally {
    held.forEach(free);
  }
  if (text === null) return null;
  try {
    return JSON.parse(text);
  } catch {
    throw new CallError('bad_result', `${name} returned text that is not JSON: ${text.slice(0, 80)}`);
  }
}

function failIfReported() {
  if (state.error !== null) {
    const message = state.error;
    state.error = null;
    throw new CallError('plugin_error', message);
  }
}

function ready() {
  if (!state.module) throw new CallError('not_initialized', 'the plugin has not been initialized');
  if (state.broken) {
    instantiate();
    if (state.activated) callStatus('activate', []);
  }
}

const text = (value) => encoder.encode(value === undefined ? 'null' : value);

const calls = {
  warmUp,
  load,
  activate() {
    ready();
    callStatus('activate', []);
    state.activated = true;
    return null;
  },
  deactivate() {
    ready();
    state.activated = false;
    return callStatus('deactivate', []);
  },
  dispose() {
    ready();
    return typeof state.exports.dispose === 'function' ? callStatus('dispose', []) : null;
  },
  execute({ type, payload }) {
    ready();
    return callJson('execute', [text(type), text(JSON.stringify(payload))]);
  },
  message({ type, data, from }) {
    ready();
    if (typeof state.exports.on_message !== 'function') {
      throw new CallError('no_handler', `the module does not export on_message (message type '${type}')`);
    }
    return callJson('on_message', [text(type), text(JSON.stringify(data)), text(from)]);
  },
  event({ topic, data, from }) {
    ready();
    if (typeof state.exports.on_event !== 'function') return null;
    callJson('on_event', [text(topic), text(JSON.stringify(data)), text(from)]);
    return null;
  },
};

parentPort.on('message', ({ seq, op, params }) => {
  let reply;
  try {
    reply = { kind: 'reply', seq, result: calls[op](params) };
  } catch (err) {
    const code = err instanceof CallError || err instanceof CheckError ? err.code : 'internal_error';
    reply = { kind: 'reply', seq, error: { code, message: err.message } };
  }
  parentPort.postMessage(reply);
  if (state.broken && state.module) {
    try {
      ready(); // a trapped instance is replaced at once, so the next call finds a fresh one
    } catch (err) {
      parentPort.postMessage({ kind: 'log', level: 'error', message: `re-instantiating after a trap failed: ${err.message}` });
    }
  }
});
