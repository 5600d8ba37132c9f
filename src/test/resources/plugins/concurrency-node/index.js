'use strict';
// Test fixture: `gate` waits until `payload.n` calls are inside execute at once (or `payload.ms`
// have passed) and answers the most it saw inside together: n when the shim serves them all at once.
const { setTimeout: sleep } = require('node:timers/promises');

let inside = 0;
let peak = 0;

module.exports = {
  activate() {},
  deactivate() {},
  async execute(action) {
    const p = action.payload || {};
    if (action.type !== 'gate') throw new Error(`unknown action type: ${action.type}`);
    const n = Number(p.n) || 1;
    const giveUp = Date.now() + (Number(p.ms) || 10000);
    inside += 1;
    peak = Math.max(peak, inside);
    try {
      while (peak < n && Date.now() < giveUp) await sleep(10);
      return { peak };
    } finally {
      inside -= 1;
    }
  },
};
