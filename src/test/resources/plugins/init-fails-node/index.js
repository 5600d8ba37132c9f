'use strict';
// Test fixture: initialize prints a marker and fails; activate must then never run (the host sends both at once).
module.exports = {
  async initialize() {
    console.log('INITIALIZE-RAN');
    await new Promise((resolve) => setTimeout(resolve, 50)); // activate is already queued in the runtime by now
    throw new Error('init boom');
  },
  activate() { console.log('ACTIVATE-RAN'); },
  deactivate() {},
  execute() { return null; },
};
