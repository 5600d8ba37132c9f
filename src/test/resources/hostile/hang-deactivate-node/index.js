'use strict';
// Hostile: runs normally, but never answers deactivate (a synchronous spin blocks the runtime).
module.exports = {
  activate() {},
  deactivate() { for (;;) { /* spin */ } },
  execute(action) { return action.payload; },
};
