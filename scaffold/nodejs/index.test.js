'use strict';
// Unit test, in-process against a fake ctx (logomesh-testing.js): no Docker, no host. `node --test`.
const test = require('node:test');
const assert = require('node:assert');
const { Harness } = require('./logomesh-testing');
const plugin = require('./index.js');

test('echo returns its payload, and the lifecycle logs', async () => {
  const h = new Harness(plugin, { config: { greeting: 'hi' } });
  await h.start();
  assert.deepStrictEqual(await h.execute('echo', { x: [1, 'two', null] }), { x: [1, 'two', null] });
  assert.strictEqual(await h.message('ping'), 'pong');
  await assert.rejects(h.execute('nope'), /unknown action type 'nope'/);
  await h.deactivate();
  assert.deepStrictEqual(h.logs.map((l) => l.message), ['initialized with {"greeting":"hi"}', 'active', 'inactive']);
});
