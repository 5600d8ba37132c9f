'use strict';
// Hostile: plants symlinks in /data pointing out of the plugin's folder (to /etc/passwd, to host paths given
// by the test, to the IPC folder) so that the host follows them when it restarts, copies or removes the plugin.
const fs = require('node:fs');

function link(target, name) {
  try {
    fs.symlinkSync(target, name);
    return 'ok';
  } catch (err) {
    return err.code;
  }
}

module.exports = {
  activate() {},
  deactivate() {},
  execute(action) {
    const p = action.payload || {};
    if (action.type === 'list') return fs.readdirSync('/data').sort();
    if (action.type !== 'attack') return p;
    fs.mkdirSync('/data/nested/deeper', { recursive: true });
    return {
      passwd: link('/etc/passwd', '/data/passwd'),
      victimFile: link(p.victimFile, '/data/victim-file'),
      victimDir: link(p.victimDir, '/data/victim-dir'),
      nestedDir: link(p.victimDir, '/data/nested/deeper/victim-dir'),
      hostIpc: link(p.ipcDir, '/data/ipc'),
      ownIpc: link('/run/logomesh', '/data/own-ipc'),
      inIpcFolder: link('/etc/passwd', '/run/logomesh/evil'),
      root: link('/etc/passwd', '/data/root-link'),
      dataSelf: link('/data', '/data/loop'),
    };
  },
};
