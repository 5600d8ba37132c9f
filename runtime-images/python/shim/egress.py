"""The plugin's way out (PROTOCOL.md, "Network").

The container has no network (only ``lo``); a plugin that holds ``network`` gets ``egress.sock`` in
its IPC folder, the host's egress proxy, which decides every connection against the plugin's
allow-list. Installed before any plugin code:

- a forwarder on 127.0.0.1:3128 (one daemon thread running its own asyncio loop) relays each TCP
  connection to ``egress.sock``; when there is none it answers 403 itself (no ``network``);
- ``HTTP_PROXY``/``HTTPS_PROXY`` (and ``NO_PROXY``: nothing) point at it, so ``urllib.request``
  (and libraries that read them) go through the proxy;
- ``http.client.HTTPConnection`` to anywhere but the forwarder becomes a CONNECT tunnel through
  it, so plain ``http.client`` works too; a refusal is ``OSError("Tunnel connection failed: 403
  Forbidden (logomesh egress: <reason>)")``.
"""
import asyncio
import http.client
import os
import threading

PROXY_HOST = "127.0.0.1"
PROXY_PORT = 3128
PROXY_URL = f"http://{PROXY_HOST}:{PROXY_PORT}"
NO_NETWORK = "this plugin holds no network permission (no egress.sock)"
CHUNK = 16 * 1024


def _socket_path():
    host_socket = os.environ.get("LOGOMESH_SOCKET", "/run/logomesh/host.sock")
    return os.path.join(os.path.dirname(host_socket), "egress.sock")


async def _pipe(reader, writer):
    try:
        while True:
            data = await reader.read(CHUNK)
            if not data:
                break
            writer.write(data)
            await writer.drain()
        if writer.can_write_eof():
            writer.write_eof()
    except (ConnectionError, OSError):
        writer.close()


async def _relay(path, client_reader, client_writer):
    try:
        up_reader, up_writer = await asyncio.open_unix_connection(path)
    except OSError:
        body = f"logomesh egress: {NO_NETWORK}\n".encode()
        client_writer.write(f"HTTP/1.1 403 Forbidden (logomesh egress: {NO_NETWORK})\r\nContent-Type: text/plain\r\n"
                            f"Content-Length: {len(body)}\r\nX-LogoMesh-Egress: refused\r\nConnection: close\r\n\r\n"
                            .encode() + body)
        client_writer.close()
        return
    await asyncio.gather(_pipe(client_reader, up_writer), _pipe(up_reader, client_writer))
    up_writer.close()
    client_writer.close()


_running = {}  # the forwarder's loop and server once it listens (one per process)


def _forward(path, ready):
    async def run():
        server = await asyncio.start_server(lambda r, w: _relay(path, r, w), PROXY_HOST, PROXY_PORT)
        _running["loop"], _running["server"] = asyncio.get_running_loop(), server
        ready.set()
        try:
            async with server:
                await server.serve_forever()
        except asyncio.CancelledError:  # stop_forwarder(): a cell's plugin turned out to be minimal
            pass

    try:
        asyncio.run(run())
    except OSError as exc:
        print(f"logomesh shim: egress forwarder: {exc}", flush=True)
        ready.set()


def start_forwarder():
    """Starts the loopback forwarder (once per process) and returns when it listens. A prewarmed cell calls
    this while it waits idle (a thread and an event loop cost milliseconds, kept off the activation path);
    until a networked plugin's egress.sock is there, it answers 403."""
    if _running.get("started"):
        return
    _running["started"] = True
    ready = threading.Event()
    threading.Thread(target=_forward, args=(_socket_path(), ready), name="logomesh-egress", daemon=True).start()
    ready.wait(5)


def stop_forwarder():
    """Closes a forwarder a cell started ahead, when its plugin is at ``minimal`` (which never holds network,
    and has none on the cold path); does not wait."""
    loop, server = _running.get("loop"), _running.get("server")
    if loop is not None and server is not None:
        loop.call_soon_threadsafe(server.close)


def _tunnel_http_client():
    original = http.client.HTTPConnection.connect

    def connect(self):
        if self._tunnel_host is None and (self.host, self.port) != (PROXY_HOST, PROXY_PORT):
            self.set_tunnel(self.host, self.port)
            self.host, self.port = PROXY_HOST, PROXY_PORT
        return original(self)

    http.client.HTTPConnection.connect = connect


def install():
    """Starts the forwarder (unless a cell did already) and points the runtime's HTTP clients at it."""
    start_forwarder()
    for key, value in (("HTTP_PROXY", PROXY_URL), ("HTTPS_PROXY", PROXY_URL), ("NO_PROXY", "")):
        os.environ[key] = value
        os.environ[key.lower()] = value
    _tunnel_http_client()
