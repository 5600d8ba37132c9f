'use strict';
// Hostile: allocates (and touches) memory in the main process until the kernel's OOM killer ends it.
const held = [];

module.exports = {
  activate() {},
  deactivate() {},
  execute(action) {
    if (action.type !== 'attack') return action.payload;
    for (let i = 0; i < 100000; i++) held.push(Buffer.alloc(1024 * 1024, 1));
    return { survived: true, heldMb: held.length };
  },
};
