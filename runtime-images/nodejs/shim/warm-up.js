'use strict';
// The runtime's own stand-in plugin: a prewarmed cell starts it once while it waits idle (PluginRunner.warmUp),
// so the code a plugin's start runs (the module loader, the lifecycle calls, ctx) is compiled before a plugin
// arrives. It does nothing, sends nothing and is forgotten afterwards. The built-ins it loads are ones plugins
// commonly use that the shim itself does not load.
require('node:timers/promises');

module.exports = {
  initialize() {},
  activate() {},
  deactivate() {},
  execute(action) {
    return action;
  },
};
