'use strict';
// Hostile: a child process allocates memory until the kernel's OOM killer ends it; the main process stays small.
const { spawn } = require('node:child_process');

const HOG = 'const a = []; for (;;) a.push(Buffer.alloc(1024 * 1024, 1));';

function attack() {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['-e', HOG], { stdio: 'ignore' });
    child.on('error', (err) => resolve({ spawned: false, error: err.code }));
    child.on('exit', (code, signal) => resolve({ spawned: true, code, signal }));
  });
}

module.exports = {
  activate() {},
  deactivate() {},
  execute(action) {
    return action.type === 'attack' ? attack() : action.payload;
  },
};
