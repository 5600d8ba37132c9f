'use strict';
// Hostile: writes raw bytes on the runtime's own IPC connection to the host (found through /proc/self/fd),
// bypassing the shim: oversized/partial/garbage frames, floods, a forged identity, a stray reply.
const fs = require('node:fs');

function ipcFd() {
  const fds = fs.readdirSync('/proc/self/fd')
    .filter((fd) => { try { return fs.readlinkSync(`/proc/self/fd/${fd}`).startsWith('socket:'); } catch { return false; } })
    .map(Number);
  if (fds.length === 0) throw new Error('no socket fd found');
  return fds[fds.length - 1];
}

function writeAll(fd, buf) {
  let off = 0;
  while (off < buf.length) {
    try {
      off += fs.writeSync(fd, buf, off, buf.length - off);
    } catch (err) {
      if (err.code !== 'EAGAIN') throw err;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1);
    }
  }
}

function frame(obj) {
  const body = Buffer.from(typeof obj === 'string' ? obj : JSON.stringify(obj), 'utf8');
  const head = Buffer.alloc(4);
  head.writeUInt32BE(body.length);
  return Buffer.concat([head, body]);
}

function header(n) {
  const head = Buffer.alloc(4);
  head.writeUInt32BE(n);
  return head;
}

const attacks = {
  oversized: (fd) => { writeAll(fd, header(0x7fffffff)); return { sent: 4 }; },
  partial: (fd) => {
    writeAll(fd, Buffer.concat([header(64), Buffer.from('{"method":"log"')]));
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 60000); // never complete it
    return { sent: 19 };
  },
  garbageBytes: (fd) => { writeAll(fd, Buffer.from('GET / HTTP/1.1\r\nHost: x\r\n\r\n')); return { sent: 27 }; },
  garbageFrames: (fd) => {
    for (let i = 0; i < 150; i++) writeAll(fd, frame(`\u0000not json ${i}\u00ff`));
    return { sent: 150 };
  },
  flood: (fd, p) => {
    const one = frame({ method: 'log', params: { level: 'info', message: 'hx flood' } });
    const batch = Buffer.concat(Array(100).fill(one));
    for (let i = 0; i < p.frames / 100; i++) writeAll(fd, batch);
    return { sent: p.frames };
  },
  spoof: (fd, p) => {
    writeAll(fd, frame({ method: 'hxWhoAmI', pluginId: p.victim, from: p.victim,
      params: { nonce: p.nonce, pluginId: p.victim, from: p.victim } }));
    return { sent: 1 };
  },
  strayReply: (fd) => {
    writeAll(fd, frame({ id: 987654321, result: 'forged' }));
    writeAll(fd, frame({ id: 987654322, error: { code: 'forged', message: 'forged' } }));
    return { sent: 2 };
  },
};

module.exports = {
  activate() {},
  deactivate() {},
  execute(action) {
    const run = attacks[action.type];
    return run ? run(ipcFd(), action.payload || {}) : action.payload;
  },
};
