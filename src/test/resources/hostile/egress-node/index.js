'use strict';
// Hostile: a plugin WITH network tries to reach what its allow-list does not name — the control plane
// through every host address, the metadata service, a name that resolves to it, an unlisted port —
// through the egress proxy (fetch, node:http) and directly (raw TCP: no route). It also reaches what the
// list names, holds a tunnel open (to see it cut) and asks for patterns at run time.
const net = require('node:net');
const http = require('node:http');
const os = require('node:os');

async function viaFetch(url) {
  try {
    const r = await fetch(url, { signal: AbortSignal.timeout(8000) });
    return { ok: r.ok, status: r.status, body: (await r.text()).slice(0, 300) };
  } catch (e) {
    const c = e.cause || e;
    return { ok: false, code: c.code || e.name, error: String(c.message || e.message).slice(0, 300) };
  }
}

function viaHttp(url) {
  return new Promise((resolve) => {
    const req = http.get(url, (r) => {
      let body = '';
      r.on('data', (d) => { body += d; });
      r.on('end', () => resolve({ ok: r.statusCode === 200, status: r.statusCode, body: body.slice(0, 300) }));
    });
    req.on('error', (e) => resolve({ ok: false, code: e.code, error: e.message.slice(0, 300) }));
    req.setTimeout(8000, () => req.destroy(new Error('timeout')));
  });
}

function direct(host, port) {
  return new Promise((resolve) => {
    const s = net.connect({ host, port });
    s.setTimeout(3000);
    s.on('connect', () => { s.destroy(); resolve({ ok: true }); });
    s.on('error', (e) => resolve({ ok: false, code: e.code }));
    s.on('timeout', () => { s.destroy(); resolve({ ok: false, code: 'ETIMEDOUT' }); });
  });
}

let held = null;
let heldClosed = false;

function hold(target) {
  return new Promise((resolve) => {
    const s = net.connect(3128, '127.0.0.1');
    let head = '';
    s.on('error', (e) => resolve({ ok: false, code: e.code }));
    s.on('connect', () => s.write(`CONNECT ${target} HTTP/1.1\r\nHost: ${target}\r\n\r\n`));
    s.on('data', (d) => {
      head += d.toString('latin1');
      if (held === null && head.includes('\r\n\r\n')) {
        held = s;
        heldClosed = false;
        s.on('close', () => { heldClosed = true; });
        resolve({ ok: head.startsWith('HTTP/1.1 200'), status: head.split('\r\n')[0] });
      }
    });
  });
}

module.exports = {
  activate() {},
  deactivate() {},
  async execute(action, ctx) {
    const p = action.payload || {};
    switch (action.type) {
      case 'echo': return p;
      case 'attack': {
        const out = { interfaces: Object.keys(os.networkInterfaces()) };
        for (const [key, t] of Object.entries(p)) {
          if (t.direct) out[key] = await direct(t.host, t.port);
          else if (t.client === 'http') out[key] = await viaHttp(t.url);
          else out[key] = await viaFetch(t.url);
        }
        return out;
      }
      case 'permission': return ctx.requestPermission(p.permission, p.host);
      case 'hold': held = null; return hold(p.target);
      case 'held': return { closed: heldClosed };
      default: throw new Error(`unknown action ${action.type}`);
    }
  },
};
