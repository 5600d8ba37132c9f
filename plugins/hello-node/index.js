'use strict';
// Example LogoMesh plugin (Node.js). The host calls these functions through the runtime shim;
// `ctx` is how the plugin talks back (logs, messages, resources). See README.md.
const { setTimeout: sleep } = require('node:timers/promises');

let config = {};

module.exports = {
  // optional: called once with the manifest's `config`
  initialize(cfg, ctx) {
    config = cfg;
    ctx.log(`initialized with greeting "${cfg.greeting}"`);
  },

  activate(ctx) {
    // other plugins reach this with ctx.sendMessage('hello-node', { type: 'hello', data: 'Ada' })
    ctx.on('hello', (message, from) => ({ reply: `${config.greeting || 'Hello'}, ${message.data} (from ${from})` }));
    // hello-python (or any plugin that declares messaging:hello-node) asks: { type: 'greet', data: { name } }
    ctx.on('greet', (message) => ({
      greeting: `${config.greeting || 'Hello'}, ${(message.data && message.data.name) || 'world'}${config.punctuation || '!'}`,
      from: ctx.pluginId,
    }));
    ctx.log('active');
  },

  async execute(action, ctx) {
    const payload = action.payload || {};
    switch (action.type) {
      case 'echo':
        return action.payload;
      case 'greet':
        return { greeting: `${config.greeting || 'Hello'}, ${payload.name || 'world'}${config.punctuation || '!'}` };
      case 'ask':
        // through the host to the Python example (the manifest declares messaging:hello-python)
        return ctx.sendMessage(payload.target || 'hello-python', { type: 'greet', data: { name: payload.name || 'world' } });
      case 'fail':
        throw new Error(`fail was asked for${payload.reason ? `: ${payload.reason}` : ''}`);
      case 'sleep':
        await sleep(Number(payload.ms) || 0);
        return { slept: Number(payload.ms) || 0 };
      default:
        throw new Error(`unknown action type '${action.type}' (try echo, greet, ask, fail, sleep)`);
    }
  },

  deactivate(ctx) {
    ctx.log('inactive');
  },

  // optional: called before the plugin is uninstalled
  dispose(ctx) {
    ctx.log('disposed');
  },
};
