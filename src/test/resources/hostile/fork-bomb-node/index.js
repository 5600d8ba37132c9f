'use strict';
// Hostile: spawns child processes until the container's pids limit refuses (Node has no fork(2)).
const { spawn } = require('node:child_process');
const { setTimeout: sleep } = require('node:timers/promises');

const kids = [];

async function bomb() {
  const errors = new Set();
  for (let i = 0; i < 300 && errors.size === 0; i++) {
    try {
      const child = spawn(process.execPath, ['--v8-pool-size=1', '-e', 'setInterval(() => {}, 1e9)'],
        { stdio: 'ignore' });
      child.on('error', (err) => errors.add(err.code || err.message));
      kids.push(child);
    } catch (err) {
      errors.add(err.code || err.message);
    }
    await sleep(20);
  }
  await sleep(500);
  return { spawned: kids.filter((k) => k.pid !== undefined).length, errors: [...errors] };
}

module.exports = {
  activate() {},
  deactivate() {},
  execute(action) {
    return action.type === 'attack' ? bomb() : action.payload;
  },
};
