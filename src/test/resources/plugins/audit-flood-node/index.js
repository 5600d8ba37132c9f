'use strict';
// Test fixture for issue 12, point 1: every refusal of these calls used to be audited in full,
// the huge target repeated in several fields, with no rate limit.

async function count(n, call) {
  const codes = {};
  for (let i = 0; i < n; i++) {
    try {
      await call(i);
      codes.ok = (codes.ok || 0) + 1;
    } catch (err) {
      codes[err.code] = (codes[err.code] || 0) + 1;
    }
  }
  return { n, codes };
}

const actions = {
  // ctx.sendMessage("a".repeat(900000), …) n times: target not found, refused each time
  floodMessages: ({ n = 200, size = 900000 }, ctx) => {
    const target = 'a'.repeat(size);
    return count(n, (i) => ctx.sendMessage(target, { type: 'x', data: i }));
  },
  // emits on a topic it may not publish: denied each time
  floodEmits: ({ n = 200 }, ctx) => count(n, (i) => ctx.emit('not.mine', { i })),
  echo: (payload) => payload,
};

module.exports = {
  activate() {},
  deactivate() {},
  execute(action, ctx) {
    const run = actions[action.type];
    if (!run) throw new Error(`unknown action type: ${action.type}`);
    return run(action.payload || {}, ctx);
  },
};
