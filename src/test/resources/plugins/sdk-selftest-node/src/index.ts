// SDK self-test: type-checked with tsc --strict against the shipped logomesh.d.ts, then run in a real
// container (SdkTypesTest). `selftest` calls every ctx member and reports what each answered, so a
// type that says one thing while the runtime does another fails either the compile or the test.
import type { Action, Context, Grant, HostError, HostErrorCode, Json, JsonObject, Message, PermissionAnswer, Plugin,
  ResourceUsageReport } from 'logomesh';

/** The code of a rejected host call (typed: a HostError). */
async function codeOf(call: Promise<unknown>): Promise<HostErrorCode | 'resolved'> {
  try {
    await call;
    return 'resolved';
  } catch (err) {
    const e = err as HostError;
    if (!(e instanceof Error) || typeof e.code !== 'string') throw new Error(`not a HostError: ${String(err)}`);
    return e.code;
  }
}

let events = 0;

const plugin: Plugin<{ greeting: string }> = {
  initialize(config, ctx) {
    ctx.log.debug('initialize', config.greeting);
  },
  activate(ctx) {
    ctx.on('ping', (message: Message<{ n: number }>, from: string): Json => ({ pong: message.data.n, from }));
    ctx.on('sdk.tick', () => { events += 1; });
    ctx.log('active');
  },
  async execute(action: Action, ctx: Context<{ greeting: string }>): Promise<Json> {
    if (action.type !== 'selftest') throw new Error(`unknown action type '${action.type}'`);
    const self: string = ctx.pluginId;
    ctx.log('selftest', 1); ctx.log.debug('d'); ctx.log.info('i'); ctx.log.warn('w'); ctx.log.error('e');
    const reply = await ctx.sendMessage<{ pong: number; from: string }>(self, { type: 'ping', data: { n: 7 } });
    const missing = await codeOf(ctx.sendMessage('sdk-no-such-plugin', { type: 'ping', data: null }));
    const noHandler = await codeOf(ctx.sendMessage(self, { type: 'nobody-listens', data: null }));
    const emitted: { delivered: number } = await ctx.emit('sdk.tick', { at: 1 });
    const emitDenied = await codeOf(ctx.emit('other.topic'));
    const handler = () => null;
    const chained: Context<{ greeting: string }> = ctx.on('sdk.extra', handler).off('sdk.extra', handler).off('sdk.none');
    const resource = await codeOf(ctx.requestResource('memory', 8));
    const release = await codeOf(ctx.releaseResource('no-such-grant'));
    const usage: ResourceUsageReport = await ctx.getResourceUsage();
    const permission: PermissionAnswer = await ctx.requestPermission('events:publish:sdk.other');
    const audited: null = await ctx.auditLog({ selftest: true, n: 1 } satisfies JsonObject);
    const grantShape: Grant | null = null;
    return {
      pluginId: self,
      greeting: ctx.config.greeting,
      chained: chained === ctx,
      reply,
      missing, noHandler,
      delivered: emitted.delivered, emitDenied,
      resource, release,
      usagePluginId: usage.pluginId, usageLimitsMemory: usage.limits.maxMemoryMB, alerts: usage.alerts.length,
      permission: permission.permission, permissionStatus: permission.status,
      audited,
      grantShape,
      events,
    };
  },
  deactivate(ctx) {
    ctx.off('ping');
  },
  dispose() {},
};

export = plugin;
