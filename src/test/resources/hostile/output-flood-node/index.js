'use strict';
// Hostile: floods stdout/stderr (synchronous writes, so nothing piles up in the plugin) with and without newlines.
const fs = require('node:fs');

function flood(fd, mb, newlines) {
  const line = newlines ? `${'x'.repeat(99)}\n` : 'y'.repeat(100);
  const chunk = Buffer.from(line.repeat(10 * 1024)); // ~1 MiB
  let written = 0;
  for (let i = 0; i < mb; i++) {
    let off = 0;
    while (off < chunk.length) {
      try {
        off += fs.writeSync(fd, chunk, off, chunk.length - off);
      } catch (err) {
        if (err.code !== 'EAGAIN') throw err;
      }
    }
    written += chunk.length;
  }
  return { written };
}

module.exports = {
  activate() {},
  deactivate() {},
  execute(action) {
    const p = action.payload || {};
    switch (action.type) {
      case 'lines': return flood(1, p.mb, true);
      case 'nonewline': return flood(1, p.mb, false);
      case 'stderr': return flood(2, p.mb, true);
      default: return p;
    }
  },
};
