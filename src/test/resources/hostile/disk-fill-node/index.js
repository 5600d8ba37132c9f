'use strict';
// Hostile: fills /tmp (tmpfs) and /data (the fileSystemAccess folder), writes to the read-only root.
const fs = require('node:fs');

function fill(file, maxMb) {
  const chunk = Buffer.alloc(1024 * 1024, 1);
  let written = 0;
  let fd;
  try {
    fd = fs.openSync(file, 'w');
    for (let i = 0; i < maxMb; i++) written += fs.writeSync(fd, chunk);
    return { written, code: null };
  } catch (err) {
    return { written, code: err.code };
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
    try { fs.unlinkSync(file); } catch { /* not created */ }
  }
}

function write(file) {
  try {
    fs.writeFileSync(file, 'x');
    return { ok: true, code: null };
  } catch (err) {
    return { ok: false, code: err.code };
  }
}

module.exports = {
  activate() {},
  deactivate() {},
  execute(action) {
    const p = action.payload || {};
    switch (action.type) {
      case 'tmp': return fill('/tmp/fill', p.maxMb);
      case 'shm': return fill('/dev/shm/fill', p.maxMb);
      case 'data': return fill('/data/fill', p.maxMb);
      case 'root': return { root: write('/evil'), code: write('/plugin/evil'), etc: write('/etc/hosts'),
        ipc: write('/run/logomesh/evil') };
      default: return p;
    }
  },
};
