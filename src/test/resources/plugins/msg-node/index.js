'use strict';
// Test fixture for messaging, events, permissions and the minimal-level guards.
const events = [];

function connect({ host, port }) {
  const net = require('node:net');
  return new Promise((resolve) => {
    const socket = net.connect({ host, port, timeout: 2000 });
    const done = (result) => { socket.destroy(); resolve(result); };
    socket.once('connect', () => done({ connected: true, error: null }));
    socket.once('timeout', () => done({ connected: false, error: 'timeout' }));
    socket.once('error', (err) => done({ connected: false, error: `${err.code}: ${err.message}` }));
  });
}

/** Sends n messages, `concurrency` at a time; counts outcomes and measures each round trip. */
async function sendMany({ target, n = 100, concurrency = 1, type = 'ping' }, ctx) {
  const codes = {};
  const lat = [];
  let next = 0;
  const t0 = process.hrtime.bigint();
  async function worker() {
    while (next < n) {
      const i = next++;
      const s = process.hrtime.bigint();
      try {
        await ctx.sendMessage(target, { type, data: i });
        lat.push(Number(process.hrtime.bigint() - s) / 1e6);
        codes.ok = (codes.ok || 0) + 1;
      } catch (err) {
        codes[err.code] = (codes[err.code] || 0) + 1;
      }
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker));
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  lat.sort((a, b) => a - b);
  const pct = (p) => (lat.length ? lat[Math.min(lat.length - 1, Math.floor(p * lat.length))] : null);
  return { n, codes, ms, perSecond: (codes.ok || 0) / (ms / 1000), p50: pct(0.5), p99: pct(0.99) };
}

function tryRequire(name) {
  try {
    require(name);
    return { loaded: true };
  } catch (err) {
    return { loaded: false, code: err.code, error: err.message };
  }
}

function spawn() {
  try {
    const out = require('node:child_process').execFileSync('/usr/local/bin/node', ['-e', 'process.stdout.write("hi")']);
    return { spawned: true, out: String(out) };
  } catch (err) {
    return { spawned: false, code: err.code, error: err.message };
  }
}

const actions = {
  send: ({ target, message }, ctx) => ctx.sendMessage(target, message),
  sendCatch: async ({ target, message }, ctx) => {
    try { return { reply: await ctx.sendMessage(target, message) }; } catch (err) { return { code: err.code, message: err.message }; }
  },
  sendMany,
  emit: ({ topic, data }, ctx) => ctx.emit(topic, data),
  emitCatch: async ({ topic, data }, ctx) => {
    try { return await ctx.emit(topic, data); } catch (err) { return { code: err.code, message: err.message }; }
  },
  events: () => events,
  listen: ({ topic }, ctx) => { ctx.on(topic, (e, from) => { events.push({ topic: e.type, data: e.data, from }); }); return { ok: true }; },
  unlisten: ({ topic }, ctx) => { ctx.off(topic); return { ok: true }; },
  permission: ({ permission }, ctx) => ctx.requestPermission(permission),
  connect,
  require: ({ name }) => tryRequire(name),
  spawn,
  echo: (payload) => payload,
};

module.exports = {
  activate(ctx) {
    ctx.on('ping', (message, from) => ({ pong: message.data, from, by: ctx.pluginId }));
    ctx.on('slow', async (message) => { await new Promise((r) => setTimeout(r, message.data.ms)); return { slept: message.data.ms }; });
  },
  deactivate() {},
  execute(action, ctx) {
    const run = actions[action.type];
    if (!run) throw new Error(`unknown action type: ${action.type}`);
    return run(action.payload || {}, ctx);
  },
};
