'use strict';
// Test fixture: one action per thing the integration tests check about the runtime and its container.
const fs = require('node:fs');
const net = require('node:net');
const { setTimeout: sleep } = require('node:timers/promises');

const held = []; // alloc keeps its memory referenced here
const events = [];

function connect({ host, port }) {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port, timeout: 2000 });
    const done = (result) => { socket.destroy(); resolve(result); };
    socket.once('connect', () => done({ connected: true, error: null }));
    socket.once('timeout', () => done({ connected: false, error: 'timeout after 2000 ms' }));
    socket.once('error', (err) => done({ connected: false, error: `${err.code}: ${err.message}` }));
  });
}

const actions = {
  echo: (payload) => payload,
  fail: (payload) => { throw new Error(`boom: ${payload && payload.msg}`); },
  sleep: async ({ ms }) => { await sleep(ms); return { slept: ms }; },
  spin: () => { for (;;) { /* busy forever */ } },
  // synchronous: blocks the plugin's one event loop for ms, so actions sent meanwhile wait inside the plugin
  busy: ({ ms }) => {
    const end = Date.now() + ms;
    while (Date.now() < end) { /* busy */ }
    return { busy: ms };
  },
  env: () => ({ ...process.env }),
  writeRoot: () => {
    try {
      fs.writeFileSync('/evil.txt', 'x');
      return { ok: true };
    } catch (err) {
      return { ok: false, code: err.code, error: err.message };
    }
  },
  writeTmp: () => {
    fs.writeFileSync('/tmp/x', 'written by echo-node');
    return { ok: fs.readFileSync('/tmp/x', 'utf8') === 'written by echo-node' };
  },
  connect,
  whoami: () => ({ uid: process.getuid(), gid: process.getgid() }),
  exit: ({ code }) => process.exit(code),
  alloc: ({ mb }) => {
    for (let i = 0; i < mb; i++) held.push(Buffer.alloc(1024 * 1024, 1)); // filled, so really resident
    return { ok: true, heldMb: held.length };
  },
  // host calls, for IPC tests
  send: ({ target, message }, ctx) => ctx.sendMessage(target, message),
  emit: ({ topic, data }, ctx) => ctx.emit(topic, data),
  events: () => events,
  usage: (payload, ctx) => ctx.getResourceUsage(),
  grant: ({ type, amount }, ctx) => ctx.requestResource(type, amount),
  release: ({ grantId }, ctx) => ctx.releaseResource(grantId),
  permission: ({ permission }, ctx) => ctx.requestPermission(permission),
  // ctx.auditLog: the host's answer, or the refusal's code (too_large, rate_limited, …)
  audit: async ({ event }, ctx) => {
    try {
      return { recorded: true, result: await ctx.auditLog(event) };
    } catch (e) {
      return { recorded: false, code: e.code, message: e.message };
    }
  },
  auditBurst: async ({ count }, ctx) => {
    const out = { recorded: 0, refused: {} };
    for (let i = 0; i < count; i++) {
      try {
        await ctx.auditLog({ burst: i });
        out.recorded++;
      } catch (e) {
        out.refused[e.code] = (out.refused[e.code] || 0) + 1;
      }
    }
    return out;
  },
  log: ({ level = 'info', message }, ctx) => { ctx.log[level](message); return { ok: true }; },
};

module.exports = {
  activate(ctx) {
    ctx.on('ping', (message, from) => ({ pong: message.data, from }));
    ctx.on('test.event', (event, from) => { events.push({ topic: event.type, data: event.data, from }); });
  },
  deactivate() {},
  execute(action, ctx) {
    const run = actions[action.type];
    if (!run) throw new Error(`unknown action type: ${action.type}`);
    return run(action.payload || {}, ctx);
  },
};
