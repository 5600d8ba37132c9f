// Unit test, in-process against a fake ctx (../logomesh-testing.js): no Docker, no host.
// Built by tsc with the plugin; run with `node --test dist/index.test.js`.
import test from 'node:test';
import assert from 'node:assert';
import { Harness } from '../logomesh-testing';
import plugin = require('./index');

test('echo returns its payload, and the lifecycle logs', async () => {
  const h = new Harness(plugin, { config: { greeting: 'hi' } });
  await h.start();
  assert.deepStrictEqual(await h.execute('echo', { x: [1, 'two', null] }), { x: [1, 'two', null] });
  assert.strictEqual(await h.message('ping'), 'pong');
  await assert.rejects(h.execute('nope'), /unknown action type 'nope'/);
  await h.deactivate();
  assert.deepStrictEqual(h.logs.map((l) => l.message), ['initialized with {"greeting":"hi"}', 'active', 'inactive']);
});
