'use strict';
// Hostile: kill -9 -1 (every process it may signal) and signals to PID 1, from the runtime and from a child.
const { spawn } = require('node:child_process');
const { setTimeout: sleep } = require('node:timers/promises');

function attempt(fn) {
  try {
    fn();
    return 'ok';
  } catch (err) {
    return err.code || err.message;
  }
}

async function attack() {
  const victim = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1e9)'], { stdio: 'ignore' });
  const victimExit = new Promise((resolve) => victim.on('exit', (code, signal) => resolve(signal)));
  await sleep(300);
  const killAll = attempt(() => process.kill(-1, 'SIGKILL'));
  const victimSignal = await Promise.race([victimExit, sleep(3000).then(() => 'still running')]);
  // a child signals PID 1 (the runtime): init of a pid namespace ignores signals it has no handler for
  const child = spawn(process.execPath, ['-e',
    "for (const s of ['SIGKILL', 'SIGTERM', 'SIGINT', 'SIGSTOP']) { try { process.kill(1, s); } catch {} }"],
  { stdio: 'ignore' });
  const childCode = await new Promise((resolve) => child.on('exit', (code) => resolve(code)));
  const selfKill = attempt(() => process.kill(1, 'SIGKILL'));
  await sleep(200);
  return { killAll, victimSignal, childCode, selfKill, alive: true, pid: process.pid };
}

module.exports = {
  activate() {},
  deactivate() {},
  execute(action) {
    return action.type === 'attack' ? attack() : action.payload;
  },
};
