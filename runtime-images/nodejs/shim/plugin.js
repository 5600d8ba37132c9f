'use strict';
// Loads the plugin module and runs its lifecycle functions (PROTOCOL.md, "Sequence").
const path = require('node:path');
const { pathToFileURL } = require('node:url');
const { RpcError } = require('./rpc');
const { createContext } = require('./context');

const PLUGIN_DIR = '/plugin';
const REQUIRED = ['activate', 'deactivate', 'execute'];

async function loadModule(file) {
  let mod;
  try {
    mod = require(file);
  } catch (err) {
    if (err && (err.code === 'ERR_REQUIRE_ESM' || err.code === 'ERR_REQUIRE_ASYNC_MODULE')) {
      mod = await import(pathToFileURL(file).href);
    } else {
      throw err;
    }
  }
  // `export default { activate, ... }` or `module.exports.default = ...`
  const hasOwn = mod && REQUIRED.some((name) => typeof mod[name] === 'function');
  return !hasOwn && mod && mod.default && typeof mod.default === 'object' ? mod.default : mod;
}

function message(err) {
  if (err instanceof Error) return err.message || err.name;
  return String(err);
}

/** Runs plugin code; any throw becomes `plugin_error` with the error's message. */
async function call(fn, thisArg, ...args) {
  try {
    return await fn.apply(thisArg, args);
  } catch (err) {
    throw new RpcError('plugin_error', message(err));
  }
}

class PluginRunner {
  constructor(conn) {
    this.conn = conn;
    this.module = null;
    this.ctx = null;
    this.handlers = new Map();
  }

  async initialize({ pluginId, config, secrets } = {}) {
    if (this.module) throw new RpcError('bad_state', 'the plugin is already initialized');
    this.state = {
      pluginId: pluginId || process.env.LOGOMESH_PLUGIN_ID || '',
      config: config && typeof config === 'object' ? config : {},
      secrets: secrets && typeof secrets === 'object' ? secrets : {},
      configHandlers: [],
    };
    this.ctx = createContext(this.conn, this.state, this.handlers);
    const file = path.resolve(PLUGIN_DIR, process.env.LOGOMESH_MAIN || 'index.js');
    let mod;
    try {
      mod = await loadModule(file);
    } catch (err) {
      throw new RpcError('load_failed', message(err).split('\n')[0]); // not Node's "Require stack" lines
    }
    const missing = REQUIRED.filter((name) => !mod || typeof mod[name] !== 'function');
    if (missing.length) {
      throw new RpcError('bad_plugin', `${path.basename(file)} does not export ${missing.join(', ')}`);
    }
    this.module = mod;
    if (typeof mod.initialize === 'function') await call(mod.initialize, mod, this.ctx.config, this.ctx);
    return null;
  }

  /**
   * A cell's rehearsal while it waits for its plugin (serve.js): the start's and an action's code path once, on the
   * runtime's own stand-in (warm-up.js), with a context of its own that is then dropped.
   */
  async warmUp() {
    const mod = await loadModule(path.join(__dirname, 'warm-up.js'));
    const ctx = createContext(this.conn, { pluginId: '', config: {}, secrets: {}, configHandlers: [] }, new Map());
    await call(mod.initialize, mod, ctx.config, ctx);
    await call(mod.activate, mod, ctx);
    await call(mod.execute, mod, { id: '', type: 'warm-up', payload: null }, ctx);
    await call(mod.deactivate, mod, ctx);
  }

  loaded() {
    if (!this.module) throw new RpcError('not_initialized', 'the plugin has not been initialized');
    return this.module;
  }

  async activate() {
    const mod = this.loaded();
    await call(mod.activate, mod, this.ctx);
    return null;
  }

  async execute({ action } = {}) {
    const mod = this.loaded();
    if (!action || typeof action !== 'object') throw new RpcError('bad_request', 'execute needs an action object');
    return call(mod.execute, mod, action, this.ctx);
  }

  async message({ from, message: msg } = {}) {
    this.loaded();
    if (!msg || typeof msg !== 'object' || typeof msg.type !== 'string') {
      throw new RpcError('bad_request', 'message needs {type, data}');
    }
    const [handler] = this.handlers.get(msg.type) || [];
    if (!handler) throw new RpcError('no_handler', `no handler registered for message type '${msg.type}'`);
    return call(handler, undefined, msg, from);
  }

  /** Event notification: every handler of the topic gets `({type: topic, data}, from)`. */
  async event({ from, topic, data } = {}) {
    if (!this.module) return;
    for (const handler of this.handlers.get(topic) || []) {
      try {
        await call(handler, undefined, { type: topic, data: data === undefined ? null : data }, from);
      } catch (err) {
        this.ctx.log.error(`event handler for '${topic}' failed: ${err.message}`);
      }
    }
  }

  /** `config` notification: ctx.config is replaced, then every ctx.on('config', …) handler gets `{type, data}`. */
  async configChanged({ config } = {}) {
    if (!this.module || !config || typeof config !== 'object') return;
    this.state.config = config;
    for (const handler of [...this.state.configHandlers]) {
      try {
        await call(handler, undefined, { type: 'config', data: config });
      } catch (err) {
        this.ctx.log.error(`config handler failed: ${err.message}`);
      }
    }
  }

  async deactivate() {
    const mod = this.loaded();
    await call(mod.deactivate, mod, this.ctx);
    return null;
  }

  async dispose() {
    const mod = this.loaded();
    if (typeof mod.dispose === 'function') await call(mod.dispose, mod, this.ctx);
    return null;
  }
}

module.exports = { PluginRunner };
