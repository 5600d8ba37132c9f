'use strict';
// Hostile: spawns child processes until the container's pids limit refuses (Node has no fork(2)).
const { spawn } = require('node:child_process');
const { setTimeout: sleep } = require('node:timers/promises');

const kids = [];
let died = 0; // children that could not keep running (e.g. a thread of theirs was refused a task)

async function bomb() {
  const errors = new Set();
  for (let i = 0; i < 300 && errors.size === 0; i++) {
    try {
      const child = spawn(process.execPath, ['--v8-pool-size=1', '-e', 'setInterval(() => {}, 1e9)'],
        { stdio: 'ignore' });
      child.on('error', (err) => errors.add(err.code || err.message));
      child.on('exit', () => { died += 1; });
      kids.push(child);
    } catch (err) {
      errors.add(err.code || err.message);
    }
    await sleep(20);
  }
  await sleep(500);
  const alive = kids.filter((k) => k.pid !== undefined && k.exitCode === null && k.signalCode === null).length;
  return { spawned: kids.filter((k) => k.pid !== undefined).length, alive, died, errors: [...errors] };
}

module.exports = {
  activate() {},
  deactivate() {},
  execute(action) {
    return action.type === 'attack' ? bomb() : action.payload;
  },
};
