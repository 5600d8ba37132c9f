'use strict';
// Egress benchmark: N sequential connection set-ups to the bench's listener (connect, then its
// one-byte greeting) and one bulk transfer (the listener sends `bytes` bytes). Through the egress
// proxy (a CONNECT tunnel via the shim's forwarder on 127.0.0.1:3128) inside a plugin, or directly
// when run as a script in a container on the plain bridge: `node index.js direct <host> <port> <n> <bytes>`.
const net = require('node:net');

function open(via, host, port) {
  return new Promise((resolve, reject) => {
    const s = via === 'proxy' ? net.connect(3128, '127.0.0.1') : net.connect(port, host);
    s.setNoDelay(true);
    s.once('error', reject);
    s.once('connect', () => {
      if (via !== 'proxy') return resolve(s);
      s.write(`CONNECT ${host}:${port} HTTP/1.1\r\nHost: ${host}:${port}\r\n\r\n`);
      let head = Buffer.alloc(0);
      const onData = (d) => {
        head = Buffer.concat([head, d]);
        const end = head.indexOf('\r\n\r\n');
        if (end < 0) return;
        s.removeListener('data', onData);
        s.pause();
        if (!head.toString('latin1').startsWith('HTTP/1.1 200')) return reject(new Error(head.toString('latin1')));
        const rest = head.subarray(end + 4);
        if (rest.length) s.unshift(rest);
        resolve(s);
      };
      s.on('data', onData);
    });
  });
}

function firstByte(s) {
  return new Promise((resolve, reject) => {
    s.once('error', reject);
    s.once('data', () => resolve());
    s.resume();
  });
}

async function setups(via, host, port, n) {
  const ms = [];
  for (let i = 0; i < n; i++) {
    const t0 = process.hrtime.bigint();
    const s = await open(via, host, port);
    s.write('g');
    await firstByte(s);
    ms.push(Number(process.hrtime.bigint() - t0) / 1e6);
    s.destroy();
  }
  return ms;
}

async function bulk(via, host, port, bytes) {
  const s = await open(via, host, port);
  const t0 = process.hrtime.bigint();
  let got = 0;
  await new Promise((resolve, reject) => {
    s.on('data', (d) => { got += d.length; if (got >= bytes) resolve(); });
    s.on('error', reject);
    s.on('end', resolve);
    s.write(`b${bytes}\n`);
    s.resume();
  });
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  s.destroy();
  return { bytes: got, seconds };
}

async function run(via, host, port, n, bytes) {
  await setups(via, host, port, 5); // warm-up
  return { setupMs: await setups(via, host, port, n), bulk: await bulk(via, host, port, bytes) };
}

module.exports = {
  activate() {},
  deactivate() {},
  execute(action) {
    const p = action.payload;
    return run('proxy', p.host, p.port, p.n, p.bytes);
  },
};

if (require.main === module) {
  const [via, host, port, n, bytes] = process.argv.slice(2);
  run(via, host, Number(port), Number(n), Number(bytes)).then((r) => process.stdout.write(JSON.stringify(r)));
}
