// @ts-check
'use strict';
// __ID__: a LogoMesh plugin (Node.js). The host calls these functions through the runtime shim;
// `ctx` is how the plugin talks back: ctx.log(...), ctx.sendMessage(target, message), ctx.on(type, handler),
// ctx.emit(topic, data), ctx.requestResource(type, amount), ctx.getResourceUsage(), ctx.requestPermission(p).
// Types: logomesh.d.ts (editors read it through the @type line below); tests: index.test.js.

/** @type {import('./logomesh').Plugin} */
module.exports = {
  // optional: called once with the manifest's `config`
  initialize(config, ctx) {
    ctx.log(`initialized with ${JSON.stringify(config)}`);
  },

  activate(ctx) {
    ctx.on('ping', () => 'pong'); // another plugin's ctx.sendMessage('__ID__', {type: 'ping'}) gets 'pong'
    ctx.log('active');
  },

  // action = { id, type, payload }; the return value is the action's result (any JSON)
  async execute(action, ctx) {
    switch (action.type) {
      case 'echo':
        return action.payload;
      default:
        // a thrown error becomes {"success": false, "error": "<message>"}
        throw new Error(`unknown action type '${action.type}' (try echo)`);
    }
  },

  deactivate(ctx) {
    ctx.log('inactive');
  },
};
