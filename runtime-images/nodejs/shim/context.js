'use strict';
// The `ctx` object plugin code sees (PROTOCOL.md, "ctx"). Calls that reach the host return promises.
const util = require('node:util');

const LEVELS = ['debug', 'info', 'warn', 'error'];
const MAX_LOG_CHARS = 32 * 1024;

/** Formats like console.log and sends a `log` notification. */
function sendLog(conn, level, args) {
  let message = util.format(...args);
  if (message.length > MAX_LOG_CHARS) message = `${message.slice(0, MAX_LOG_CHARS)}… (truncated)`;
  conn.notify('log', { level, message });
}

/**
 * @param conn the rpc Connection
 * @param state {pluginId, config, secrets, configHandlers}: shared with the runner, which replaces
 *        `config` on a `config` notification and calls `configHandlers` (filled by ctx.on('config', …))
 * @param handlers Map<string, Function[]> shared with the runner (filled by ctx.on)
 */
function createContext(conn, state, handlers) {
  const { pluginId } = state;
  const secrets = Object.freeze({ ...(state.secrets || {}) });
  const log = (...args) => sendLog(conn, 'info', args);
  for (const level of LEVELS) log[level] = (...args) => sendLog(conn, level, args);

  const ctx = {
    pluginId,
    get config() { return state.config; },
    secrets,
    log,
    sendMessage: (target, message) => conn.request('sendMessage', { target, message }),
    emit: (topic, data) => conn.request('emit', { topic, data: data === undefined ? null : data }),
    on(name, handler) {
      if (typeof handler !== 'function') throw new TypeError('ctx.on(name, handler) needs a function');
      if (name === 'config') { // the host's own event: never a subscription other plugins could send to
        state.configHandlers.push(handler);
        return ctx;
      }
      const list = handlers.get(name) || [];
      handlers.set(name, [...list, handler]);
      if (!list.length) conn.notify('subscribe', { name }); // the host routes events by these
      return ctx;
    },
    off(name, handler) {
      if (name === 'config') {
        const keep = handler ? state.configHandlers.filter((h) => h !== handler) : [];
        state.configHandlers.splice(0, state.configHandlers.length, ...keep);
        return ctx;
      }
      const list = handler ? (handlers.get(name) || []).filter((h) => h !== handler) : [];
      if (list.length) handlers.set(name, list);
      else if (handlers.delete(name)) conn.notify('unsubscribe', { name });
      return ctx;
    },
    requestResource: (type, amount) => conn.request('requestResource', { type, amount }),
    releaseResource: (grantId) => conn.request('releaseResource', { grantId }),
    getResourceUsage: () => conn.request('getResourceUsage', {}),
    requestPermission: (permission, host) => conn.request('requestPermission',
      host === undefined ? { permission } : { permission, host: String(host) }),
    auditLog: (event) => conn.request('auditLog', { event }),
  };
  return Object.freeze(ctx);
}

module.exports = { createContext, sendLog };
