'use strict';
// Hostile: what Node.js can reach of privilege changes (no raw syscalls: setuid/setgid/setgroups only).
const fs = require('node:fs');

function attempt(fn) {
  try {
    fn();
    return 'ok';
  } catch (err) {
    return err.code || err.message;
  }
}

module.exports = {
  activate() {},
  deactivate() {},
  execute(action) {
    if (action.type !== 'attack') return action.payload;
    const status = fs.readFileSync('/proc/self/status', 'utf8');
    const field = (name) => (status.match(new RegExp(`^${name}:\\s*(\\S+)`, 'm')) || [])[1];
    return {
      uid: process.getuid(),
      noNewPrivs: field('NoNewPrivs'),
      seccomp: field('Seccomp'),
      capEff: field('CapEff'),
      capBnd: field('CapBnd'),
      setuid: attempt(() => process.setuid(0)),
      setgid: attempt(() => process.setgid(0)),
      setgroups: attempt(() => process.setgroups([0])),
      seteuid: attempt(() => process.seteuid(0)),
      uidAfter: process.getuid(),
    };
  },
};
