'use strict';
// Hostile: TCP connect, UDP send and DNS lookups without networkAccess (aimed at the test's own listener).
const net = require('node:net');
const dgram = require('node:dgram');
const dns = require('node:dns').promises;
const os = require('node:os');

function tcp(host, port) {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port, timeout: 2000 });
    const done = (r) => { socket.destroy(); resolve(r); };
    socket.once('connect', () => done({ ok: true, code: null }));
    socket.once('timeout', () => done({ ok: false, code: 'TIMEOUT' }));
    socket.once('error', (err) => done({ ok: false, code: err.code }));
  });
}

function udp(host, port) {
  return new Promise((resolve) => {
    const socket = dgram.createSocket('udp4');
    socket.once('error', (err) => { socket.close(); resolve({ ok: false, code: err.code }); });
    socket.send(Buffer.from('hx-udp'), port, host, (err) => {
      socket.close();
      resolve(err ? { ok: false, code: err.code } : { ok: true, code: null });
    });
  });
}

async function lookup(name) {
  try {
    const r = await dns.lookup(name);
    return { ok: true, address: r.address, code: null };
  } catch (err) {
    return { ok: false, code: err.code };
  }
}

async function resolve4(name) {
  try {
    const r = await dns.resolve4(name);
    return { ok: true, address: r, code: null };
  } catch (err) {
    return { ok: false, code: err.code };
  }
}

module.exports = {
  activate() {},
  deactivate() {},
  async execute(action) {
    if (action.type !== 'attack') return action.payload;
    const { host, tcpPort, udpPort } = action.payload;
    return {
      tcp: await tcp(host, tcpPort),
      udp: await udp(host, udpPort),
      lookup: await lookup('logomesh-hostile.invalid'),
      resolve: await resolve4('logomesh-hostile.invalid'),
      interfaces: Object.keys(os.networkInterfaces()),
    };
  },
};
