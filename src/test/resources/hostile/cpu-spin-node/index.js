'use strict';
// Hostile: an action that spins the CPU forever (blocks the event loop too).
module.exports = {
  activate() {},
  deactivate() {},
  execute(action) {
    if (action.type !== 'attack') return action.payload;
    for (;;) { /* busy forever */ }
  },
};
