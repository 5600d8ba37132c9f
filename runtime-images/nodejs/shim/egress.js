'use strict';
// The plugin's way out (PROTOCOL.md, "Network"). The container has no network (only `lo`); a plugin
// that holds `network` gets `egress.sock` in its IPC folder, the host's egress proxy, which decides
// every connection against the plugin's allow-list. This module, loaded before any plugin code:
// - listens on 127.0.0.1:3128 inside the container and forwards each connection to egress.sock (when
//   there is none, it answers 403 itself: the plugin holds no `network`);
// - points HTTP_PROXY/HTTPS_PROXY (and NO_PROXY: nothing) at it, for libraries that read them;
// - makes node:http / node:https use it (http.Agent's proxyEnv, Node >= 22.21);
// - makes fetch() use it: Node 22 bundles undici but exposes neither its ProxyAgent nor
//   EnvHttpProxyAgent, so the shim takes the bundled Agent class from the global dispatcher and gives
//   it a connector that opens a CONNECT tunnel through the forwarder (TLS on top for https).
// A refusal surfaces as an error naming the destination and the proxy's reason.
const net = require('node:net');
const path = require('node:path');
const http = require('node:http');
const https = require('node:https');
const tls = require('node:tls');

const PROXY_HOST = '127.0.0.1';
const PROXY_PORT = 3128;
const PROXY_URL = `http://${PROXY_HOST}:${PROXY_PORT}`;
const MAX_HEAD = 16 * 1024;
const NO_NETWORK = 'this plugin holds no network permission (no egress.sock)';

function egressSocketPath() {
  const hostSocket = process.env.LOGOMESH_SOCKET || '/run/logomesh/host.sock';
  return path.join(path.dirname(hostSocket), 'egress.sock');
}

/** The loopback forwarder: every TCP connection becomes one connection to egress.sock. */
function startForwarder(socketPath) {
  const server = net.createServer((client) => {
    client.on('error', () => {});
    const upstream = net.connect({ path: socketPath });
    let connected = false;
    upstream.once('connect', () => {
      connected = true;
      client.pipe(upstream);
      upstream.pipe(client);
    });
    upstream.on('error', () => {
      if (connected) {
        client.destroy();
        return;
      }
      const body = `logomesh egress: ${NO_NETWORK}\n`;
      client.end(`HTTP/1.1 403 Forbidden (logomesh egress: ${NO_NETWORK})\r\nContent-Type: text/plain\r\n`
        + `Content-Length: ${Buffer.byteLength(body)}\r\nX-LogoMesh-Egress: refused\r\nConnection: close\r\n\r\n${body}`);
    });
    client.on('close', () => upstream.destroy());
  });
  server.on('error', (err) => process.stderr.write(`logomesh shim: egress forwarder: ${err.message}\n`));
  server.listen(PROXY_PORT, PROXY_HOST);
  server.unref();
  return server;
}

/** Opens a CONNECT tunnel through the forwarder; callback(err, socket) as undici's connector contract. */
function tunnel(opts, callback) {
  const host = opts.hostname;
  const port = Number(opts.port) || (opts.protocol === 'https:' ? 443 : 80);
  const authority = host.includes(':') && !host.startsWith('[') ? `[${host}]:${port}` : `${host}:${port}`;
  const socket = net.connect(PROXY_PORT, PROXY_HOST);
  let head = Buffer.alloc(0);
  let done = false;
  const finish = (err, result) => {
    if (done) return;
    done = true;
    if (err) socket.destroy();
    callback(err, err ? null : result);
  };
  socket.once('error', (err) => finish(err));
  socket.once('connect', () => socket.write(`CONNECT ${authority} HTTP/1.1\r\nHost: ${authority}\r\n\r\n`));
  const onReadable = () => {
    let chunk;
    while ((chunk = socket.read()) !== null) {
      head = Buffer.concat([head, chunk]);
      const end = head.indexOf('\r\n\r\n');
      if (end < 0) {
        if (head.length > MAX_HEAD) finish(new Error('logomesh egress: the proxy answer is too large'));
        continue;
      }
      socket.removeListener('readable', onReadable);
      const statusLine = head.subarray(0, head.indexOf('\r\n')).toString('latin1');
      const status = Number(statusLine.split(' ')[1]);
      const rest = head.subarray(end + 4);
      if (rest.length) socket.unshift(rest);
      if (status !== 200) {
        const err = new Error(`logomesh egress refused ${authority}: ${statusLine.replace(/^HTTP\/1\.[01] /, '')}`);
        err.code = 'ERR_LOGOMESH_EGRESS_REFUSED';
        err.status = status;
        finish(err);
        return;
      }
      if (opts.protocol !== 'https:') {
        finish(null, socket);
        return;
      }
      const servername = opts.servername || (net.isIP(host) ? undefined : host);
      const secure = tls.connect({ socket, servername, ALPNProtocols: ['http/1.1'] });
      secure.once('secureConnect', () => finish(null, secure));
      secure.once('error', (err) => finish(err));
      return;
    }
  };
  socket.on('readable', onReadable);
}

/** Points fetch(), node:http(s) and the proxy variables at the forwarder. */
async function installProxies() {
  const env = { HTTP_PROXY: PROXY_URL, HTTPS_PROXY: PROXY_URL, NO_PROXY: '' };
  for (const [key, value] of Object.entries(env)) {
    process.env[key] = value;
    process.env[key.toLowerCase()] = value;
  }
  http.globalAgent = new http.Agent({ keepAlive: false, proxyEnv: env });
  https.globalAgent = new https.Agent({ keepAlive: false, proxyEnv: env });
  const dispatcherKey = Symbol.for('undici.globalDispatcher.1');
  try {
    await fetch('data:,');
  } catch {
    // only to load the bundled undici, which sets its global dispatcher
  }
  const Agent = globalThis[dispatcherKey] && globalThis[dispatcherKey].constructor;
  if (typeof Agent !== 'function') {
    process.stderr.write('logomesh shim: fetch() cannot be routed through the egress proxy on this Node.js\n');
    return false;
  }
  globalThis[dispatcherKey] = new Agent({ connect: tunnel });
  return true;
}

/** Starts the forwarder and routes the runtime's HTTP clients through it. */
async function installEgress() {
  startForwarder(egressSocketPath());
  return installProxies();
}

module.exports = { installEgress, PROXY_PORT, tunnel };
