'use strict';
// Hostile: never answers activate. A synchronous spin blocks the runtime's only thread, so even the
// shim cannot answer anything any more.
module.exports = {
  activate() { for (;;) { /* spin */ } },
  deactivate() {},
  execute(action) { return action.payload; },
};
