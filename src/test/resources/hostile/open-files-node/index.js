'use strict';
// Hostile: opens 10,000 files and keeps them open.
const fs = require('node:fs');

const fds = [];

module.exports = {
  activate() {},
  deactivate() {},
  execute(action) {
    if (action.type !== 'attack') return action.payload;
    try {
      for (let i = 0; i < 10000; i++) fds.push(fs.openSync('/dev/null', 'r'));
      return { opened: fds.length, code: null };
    } catch (err) {
      return { opened: fds.length, code: err.code };
    } finally {
      while (fds.length) fs.closeSync(fds.pop()); // so the shim can go on answering
    }
  },
};
