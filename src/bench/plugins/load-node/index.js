'use strict';
// make bench, load section: `echo` returns the payload; `spin` burns payload.ms of CPU (wall clock,
// so under the container's CPU quota it takes longer than that in CPU time's terms).
module.exports = {
  activate() {},
  deactivate() {},
  async execute(action) {
    if (action.type === 'echo') return action.payload === undefined ? null : action.payload;
    if (action.type === 'spin') {
      const ms = Number((action.payload || {}).ms) || 20;
      const end = process.hrtime.bigint() + BigInt(Math.round(ms * 1e6));
      let n = 0;
      while (process.hrtime.bigint() < end) n += 1;
      return { spun: ms, loops: n };
    }
    throw new Error(`unknown action type '${action.type}' (try echo, spin)`);
  },
};
