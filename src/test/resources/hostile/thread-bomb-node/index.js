'use strict';
// Hostile: starts worker threads until the container's pids limit (threads count) refuses.
const { Worker } = require('node:worker_threads');
const { setTimeout: sleep } = require('node:timers/promises');

const workers = [];

async function bomb() {
  const errors = new Set();
  for (let i = 0; i < 300 && errors.size === 0; i++) {
    try {
      const w = new Worker('setInterval(() => {}, 1e9)', { eval: true });
      w.on('error', (err) => errors.add(err.code || err.message));
      workers.push(w);
    } catch (err) {
      errors.add(err.code || err.message);
    }
    await sleep(20);
  }
  await sleep(500);
  return { spawned: workers.length, errors: [...errors] };
}

module.exports = {
  activate() {},
  deactivate() {},
  execute(action) {
    return action.type === 'attack' ? bomb() : action.payload;
  },
};
