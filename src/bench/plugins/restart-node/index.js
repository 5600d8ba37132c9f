'use strict';
// Restart bench: echo, and alloc (filled 1 MiB buffers, kept) until the memory limit's OOM kill.
const held = [];

module.exports = {
  activate() {},
  deactivate() {},
  execute(action) {
    if (action.type === 'alloc') {
      for (;;) held.push(Buffer.alloc(1024 * 1024, 1));
    }
    return action.payload;
  },
};
