'use strict';
// LogoMesh test harness for Node.js plugins: runs a plugin's lifecycle and actions in this process
// against a fake `ctx` that records what the plugin does. No Docker, no host. Node.js >= 18, no deps.
//
//   const { Harness } = require('./logomesh-testing');
//   const h = new Harness(require('./index.js'), { config: { greeting: 'hi' } });
//   await h.start();                                  // initialize + activate
//   assert.deepStrictEqual(await h.execute('echo', { x: 1 }), { x: 1 });
//   assert.deepStrictEqual(h.logs[0], { level: 'info', message: 'active' });
//
// Types: logomesh-testing.d.ts. What the fake does (docs/plugin-sdk.md):
//  - log / log.debug|info|warn|error are recorded in `logs` ({level, message}, formatted like the shim);
//  - sendMessage(target, message) is recorded in `sent` and answered from `replies[target][type]`
//    (a value, or a function (message, target) => reply, which may throw `hostError(code, msg)`);
//    an unknown target fails `not_found`, an unknown type `no_handler`, as the host would;
//  - emit, requestResource, releaseResource, requestPermission, auditLog and getResourceUsage are
//    recorded in `calls` ({method, params}); grants need 'resources:grant' in `permissions`,
//    emit needs 'events:publish:<topic>' (a '*' matches any run), else they fail `denied`;
//    requestPermission answers `permissionAnswers[permission]` (default 'pending');
//  - results go through JSON as on the wire (undefined becomes null; a BigInt or a cycle fails `bad_result`).
const util = require('node:util');

const REQUIRED = ['activate', 'deactivate', 'execute'];
const MAX_LOG_CHARS = 32 * 1024;

/** An Error with a host error `code`, as the runtime shim rejects host calls with. */
function hostError(code, message) {
  const err = new Error(message);
  err.code = code;
  return err;
}

function matches(pattern, name) {
  const re = new RegExp(`^${pattern.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
  return re.test(name);
}

/** A JSON round trip, as the wire does it. */
function wire(value, what) {
  if (value === undefined) return null;
  let text;
  try {
    text = JSON.stringify(value);
  } catch (err) {
    throw hostError('bad_result', `${what} cannot be encoded as JSON: ${err.message}`);
  }
  if (text === undefined) throw hostError('bad_result', `${what} cannot be encoded as JSON`);
  return JSON.parse(text);
}

class Harness {
  /**
   * @param plugin the module (`require('./index.js')`), or its `default`
   * @param options { pluginId, config, secrets, permissions, replies, permissionAnswers, usage }
   */
  constructor(plugin, options = {}) {
    const mod = plugin && plugin.default && REQUIRED.some((n) => typeof plugin[n] !== 'function') ? plugin.default : plugin;
    const missing = REQUIRED.filter((name) => !mod || typeof mod[name] !== 'function');
    if (missing.length) throw hostError('bad_plugin', `the plugin does not export ${missing.join(', ')}`);
    this.plugin = mod;
    this.pluginId = options.pluginId || 'test-plugin';
    this.permissions = [...(options.permissions || [])];
    this.replies = options.replies || {};
    this.permissionAnswers = options.permissionAnswers || {};
    this.usage = options.usage || null;
    /** every log line: {level, message} */
    this.logs = [];
    /** every sendMessage: {target, message} */
    this.sent = [];
    /** every host call but log and sendMessage: {method, params} */
    this.calls = [];
    /** message type / event topic -> handlers, as ctx.on registered them */
    this.handlers = new Map();
    this.grants = new Map();
    this.nextGrant = 1;
    this.state = 'INSTALLED';
    let config = wire(options.config || {}, 'config');
    let secrets = Object.freeze({ ...(options.secrets || {}) });
    const self = this;
    const log = (...args) => this.record('info', args);
    for (const level of ['debug', 'info', 'warn', 'error']) log[level] = (...args) => this.record(level, args);
    const ctx = {
      get pluginId() { return self.pluginId; },
      get config() { return config; },
      get secrets() { return secrets; },
      log,
      sendMessage: (target, message) => this.host(() => this.sendMessage(target, message)),
      emit: (topic, data) => this.host(() => {
        this.calls.push({ method: 'emit', params: { topic, data: wire(data, 'data') } });
        this.require(`events:publish:${topic}`, `emit('${topic}') needs events:publish:${topic}`);
        return { delivered: 0 };
      }),
      on(name, handler) {
        if (typeof handler !== 'function') throw new TypeError('ctx.on(name, handler) needs a function');
        self.handlers.set(name, [...(self.handlers.get(name) || []), handler]);
        return ctx;
      },
      off(name, handler) {
        const left = handler ? (self.handlers.get(name) || []).filter((h) => h !== handler) : [];
        if (left.length) self.handlers.set(name, left);
        else self.handlers.delete(name);
        return ctx;
      },
      requestResource: (type, amount) => this.host(() => this.requestResource(type, amount)),
      releaseResource: (grantId) => this.host(() => {
        this.calls.push({ method: 'releaseResource', params: { grantId } });
        if (!this.grants.delete(grantId)) throw hostError('denied', `no grant '${grantId}'`);
        return null;
      }),
      getResourceUsage: () => this.host(() => {
        this.calls.push({ method: 'getResourceUsage', params: {} });
        return this.usage || this.defaultUsage();
      }),
      requestPermission: (permission) => this.host(() => {
        this.calls.push({ method: 'requestPermission', params: { permission } });
        const status = this.permissionAnswers[permission] || 'pending';
        if (status === 'granted' && !this.permissions.includes(permission)) this.permissions.push(permission);
        return { permission, status, requestId: `req-${this.calls.length}` };
      }),
      auditLog: (event) => this.host(() => {
        this.calls.push({ method: 'auditLog', params: { event } });
        if (!event || typeof event !== 'object' || Array.isArray(event)) throw hostError('invalid_event', 'the event must be a JSON object');
        if (JSON.stringify(event).length > 8192) throw hostError('too_large', 'the event is larger than 8 KiB');
        return null;
      }),
    };
    this.ctx = Object.freeze(ctx);
    this.setConfigValues = (next, nextSecrets) => {
      config = wire(next, 'config');
      if (nextSecrets) secrets = Object.freeze({ ...nextSecrets });
    };
  }

  record(level, args) {
    let message = util.format(...args);
    if (message.length > MAX_LOG_CHARS) message = `${message.slice(0, MAX_LOG_CHARS)}… (truncated)`;
    this.logs.push({ level, message });
  }

  /** A host call: a promise, like the shim's (settled on a later turn, so unawaited calls behave as in a container). */
  host(fn) {
    return new Promise((resolve, reject) => setImmediate(() => {
      try { resolve(fn()); } catch (err) { reject(err); }
    }));
  }

  require(permission, message) {
    if (!this.permissions.some((p) => matches(p, permission))) throw hostError('denied', message);
  }

  async sendMessage(target, message) {
    if (!message || typeof message !== 'object' || typeof message.type !== 'string') {
      throw hostError('bad_request', 'sendMessage needs a message {type, data}');
    }
    const msg = wire(message, 'message');
    this.sent.push({ target, message: msg });
    const script = this.replies[target];
    if (!script) throw hostError('not_found', `no plugin '${target}' (script one in replies)`);
    if (!Object.prototype.hasOwnProperty.call(script, msg.type)) {
      throw hostError('no_handler', `'${target}' has no handler for message type '${msg.type}'`);
    }
    const reply = script[msg.type];
    return wire(typeof reply === 'function' ? await reply(msg, target) : reply, 'the reply');
  }

  requestResource(type, amount) {
    this.calls.push({ method: 'requestResource', params: { type, amount } });
    if (type !== 'memory' && type !== 'cpu') throw hostError('bad_request', "type must be 'memory' or 'cpu'");
    if (typeof amount !== 'number' || !(amount > 0)) throw hostError('bad_request', 'amount must be a positive number');
    this.require('resources:grant', 'requestResource needs the resources:grant permission');
    const grant = { grantId: `grant-${this.nextGrant++}`, pluginId: this.pluginId, type, amount, grantedAt: new Date().toISOString() };
    this.grants.set(grant.grantId, grant);
    return grant;
  }

  defaultUsage() {
    return {
      pluginId: this.pluginId, state: this.state, containerId: null, timestamp: new Date().toISOString(),
      usage: null, limits: { maxMemoryMB: 64, maxCpuPercent: 50, maxExecutionTimeMs: 5000, pidsLimit: 64 },
      utilizationPercent: null, alerts: [], grants: [...this.grants.values()],
    };
  }

  async initialize() {
    if (typeof this.plugin.initialize === 'function') await this.plugin.initialize(this.ctx.config, this.ctx);
  }

  async activate() {
    await this.plugin.activate(this.ctx);
    this.state = 'ACTIVE';
  }

  /** initialize (if the plugin has it) then activate, as the host does on activation. */
  async start() {
    await this.initialize();
    await this.activate();
  }

  /** Runs one action; resolves with its result as the caller would get it (through JSON). */
  async execute(type, payload = null, id = `action-${this.calls.length + this.sent.length + 1}`) {
    const action = { id, type, payload: wire(payload, 'the payload') };
    return wire(await this.plugin.execute(action, this.ctx), 'the result');
  }

  /** Delivers a message from another plugin as the host does: the first handler of the type answers. */
  async message(type, data = null, from = 'other-plugin') {
    const [handler] = this.handlers.get(type) || [];
    if (!handler) throw hostError('no_handler', `no handler registered for message type '${type}'`);
    return wire(await handler({ type, data: wire(data, 'data') }, from), 'the reply');
  }

  /** Delivers an event: every handler of the topic, in order (a throw is logged at error, as the shim does). */
  async event(topic, data = null, from = 'other-plugin') {
    for (const handler of this.handlers.get(topic) || []) {
      try {
        await handler({ type: topic, data: wire(data, 'data') }, from);
      } catch (err) {
        this.logs.push({ level: 'error', message: `event handler for '${topic}' failed: ${err && err.message}` });
      }
    }
  }

  /** An operator changed the config (and secrets): ctx.config/ctx.secrets change, then `config` handlers run. */
  async setConfig(config, secrets) {
    this.setConfigValues(config, secrets);
    await this.event('config', this.ctx.config, 'host');
  }

  async deactivate() {
    await this.plugin.deactivate(this.ctx);
    this.state = 'INACTIVE';
  }

  async dispose() {
    if (typeof this.plugin.dispose === 'function') await this.plugin.dispose(this.ctx);
  }

  /** The calls of one method, e.g. `h.callsOf('emit')`. */
  callsOf(method) {
    return this.calls.filter((c) => c.method === method).map((c) => c.params);
  }
}

module.exports = { Harness, hostError };
