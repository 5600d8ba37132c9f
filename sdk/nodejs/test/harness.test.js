'use strict';
// The Node.js harness records what a plugin does and answers as the host would (SdkHarnessTest runs this).
const test = require('node:test');
const assert = require('node:assert');
const { Harness, hostError } = require('../logomesh-testing');

const plugin = {
  seen: [],
  initialize(config, ctx) { ctx.log.debug('init', config.mode); },
  activate(ctx) {
    ctx.on('ping', (m, from) => ({ pong: m.data, from }));
    ctx.on('news', (m) => { plugin.seen.push(m.data); });
    ctx.on('news', () => { throw new Error('second handler broke'); });
    ctx.on('config', (m) => { plugin.seen.push(['config', m.data.mode, ctx.secrets.KEY]); });
  },
  deactivate(ctx) { ctx.log('bye'); },
  async dispose(ctx) { await ctx.auditLog({ disposed: true }); },
  async execute(action, ctx) {
    switch (action.type) {
      case 'ask': return ctx.sendMessage('weather', { type: 'forecast', data: action.payload });
      case 'ask-missing': return ctx.sendMessage('nobody', { type: 'x', data: null });
      case 'emit': return ctx.emit('orders.created', { id: 7 });
      case 'grant': {
        const grant = await ctx.requestResource('memory', 32);
        await ctx.releaseResource(grant.grantId);
        return grant;
      }
      case 'perm': return ctx.requestPermission(action.payload);
      case 'usage': return ctx.getResourceUsage();
      case 'secret': return ctx.secrets.KEY ?? null;
      case 'bigint': return 10n;
      case 'nothing': return undefined;
      default: throw new Error(`unknown action type '${action.type}'`);
    }
  },
};

test('lifecycle, logs and config', async () => {
  const h = new Harness(plugin, { pluginId: 'p1', config: { mode: 'fast' }, secrets: { KEY: 's3' } });
  await h.start();
  assert.deepStrictEqual(h.logs, [{ level: 'debug', message: 'init fast' }]);
  assert.strictEqual(h.ctx.pluginId, 'p1');
  assert.strictEqual(await h.execute('secret'), 's3');
  assert.throws(() => { h.ctx.secrets.KEY = 'x'; }, TypeError); // read-only
  await h.setConfig({ mode: 'slow' }, { KEY: 's4' });
  assert.deepStrictEqual(plugin.seen.pop(), ['config', 'slow', 's4']);
  assert.strictEqual(h.ctx.config.mode, 'slow');
  await h.deactivate();
  await h.dispose();
  assert.deepStrictEqual(h.logs.at(-1), { level: 'info', message: 'bye' });
  assert.deepStrictEqual(h.callsOf('auditLog'), [{ event: { disposed: true } }]);
});

test('sendMessage: scripted replies, and the host errors for unscripted ones', async () => {
  const h = new Harness(plugin, {
    replies: { weather: { forecast: (m) => ({ sunny: m.data.city === 'Oslo' }) } },
  });
  await h.start();
  assert.deepStrictEqual(await h.execute('ask', { city: 'Oslo' }), { sunny: true });
  assert.deepStrictEqual(h.sent, [{ target: 'weather', message: { type: 'forecast', data: { city: 'Oslo' } } }]);
  await assert.rejects(h.execute('ask-missing'), (err) => err.code === 'not_found');
  h.replies.weather.forecast = () => { throw hostError('timeout', 'too slow'); };
  await assert.rejects(h.execute('ask', {}), (err) => err.code === 'timeout');
  delete h.replies.weather.forecast;
  await assert.rejects(h.execute('ask', {}), (err) => err.code === 'no_handler');
});

test('emit, grants and permissions follow the permissions given', async () => {
  const denied = new Harness(plugin);
  await denied.start();
  await assert.rejects(denied.execute('emit'), (err) => err.code === 'denied');
  await assert.rejects(denied.execute('grant'), (err) => err.code === 'denied');
  assert.deepStrictEqual(denied.callsOf('emit'), [{ topic: 'orders.created', data: { id: 7 } }]);

  const h = new Harness(plugin, { permissions: ['events:publish:orders.*', 'resources:grant'],
    permissionAnswers: { network: 'granted' } });
  await h.start();
  assert.deepStrictEqual(await h.execute('emit'), { delivered: 0 });
  const grant = await h.execute('grant');
  assert.strictEqual(grant.type, 'memory');
  assert.deepStrictEqual(h.callsOf('releaseResource'), [{ grantId: grant.grantId }]);
  assert.strictEqual((await h.execute('perm', 'network')).status, 'granted');
  assert.ok(h.permissions.includes('network'));
  assert.strictEqual((await h.execute('perm', 'filesystem')).status, 'pending');
  assert.strictEqual((await h.execute('usage')).pluginId, 'test-plugin');
});

test('messages, events and results as the host delivers them', async () => {
  const h = new Harness(plugin);
  await h.start();
  assert.deepStrictEqual(await h.message('ping', 3, 'peer'), { pong: 3, from: 'peer' });
  await assert.rejects(h.message('nope'), (err) => err.code === 'no_handler');
  await h.event('news', 'hi');
  assert.strictEqual(plugin.seen.pop(), 'hi');
  assert.match(h.logs.at(-1).message, /event handler for 'news' failed: second handler broke/);
  assert.strictEqual(await h.execute('nothing'), null);
  await assert.rejects(h.execute('bigint'), (err) => err.code === 'bad_result');
  assert.throws(() => new Harness({ activate() {} }), /does not export deactivate, execute/);
});
