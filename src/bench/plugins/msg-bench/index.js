'use strict';
// Benchmark plugin: `ping` handler, and `sendMany {target, n, inflight}` which keeps `inflight`
// messages outstanding and returns the throughput and per-message round-trip latencies (ms).
async function sendMany({ target, n = 10000, inflight = 1 }, ctx) {
  const lat = new Float64Array(n);
  let next = 0;
  let ok = 0;
  const errors = {};
  const data = { s: 'x'.repeat(64) };
  const t0 = process.hrtime.bigint();
  async function worker() {
    while (next < n) {
      const i = next++;
      const s = process.hrtime.bigint();
      try {
        await ctx.sendMessage(target, { type: 'ping', data });
        lat[i] = Number(process.hrtime.bigint() - s) / 1e6;
        ok++;
      } catch (err) {
        lat[i] = NaN;
        errors[err.code] = (errors[err.code] || 0) + 1;
      }
    }
  }
  await Promise.all(Array.from({ length: inflight }, worker));
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  const sorted = Array.from(lat).filter((x) => !Number.isNaN(x)).sort((a, b) => a - b);
  const pct = (p) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] : null);
  return { n, ok, errors, ms, perSecond: ok / (ms / 1000), p50: pct(0.5), p99: pct(0.99) };
}

module.exports = {
  activate(ctx) { ctx.on('ping', (message) => message.data); },
  deactivate() {},
  execute(action, ctx) {
    if (action.type === 'sendMany') return sendMany(action.payload || {}, ctx);
    throw new Error(`unknown action type: ${action.type}`);
  },
};
