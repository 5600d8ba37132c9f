// __ID__: a LogoMesh plugin in TypeScript (Node.js). `tsc` compiles src/ to dist/ (the manifest's main
// is dist/index.js). The host calls these functions through the runtime shim; `ctx` is how the plugin
// talks back. Types: ../logomesh.d.ts; tests: index.test.ts (run against a fake ctx).
import type { Action, Context, Json, Plugin } from '../logomesh';

const plugin: Plugin = {
  // optional: called once with the manifest's `config`
  initialize(config, ctx: Context) {
    ctx.log(`initialized with ${JSON.stringify(config)}`);
  },

  activate(ctx) {
    ctx.on('ping', () => 'pong'); // another plugin's ctx.sendMessage('__ID__', {type: 'ping'}) gets 'pong'
    ctx.log('active');
  },

  // the return value is the action's result (any JSON)
  async execute(action: Action, ctx: Context): Promise<Json> {
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

export = plugin;
