'use strict';
// Request/response correlation over one framed socket, in both directions at once.
const { FrameDecoder, encodeFrame, decodePayload } = require('./framing');

/** An error that travels as `{"code", "message"}`: thrown by handlers, or raised for a host error reply. */
class RpcError extends Error {
  constructor(code, message) {
    super(message);
    this.name = 'RpcError';
    this.code = code;
  }
}

class Connection {
  /**
   * @param socket a connected net.Socket
   * @param options maxFrame, onRequest(method, params) → result (may be async; throw RpcError),
   *   onNotification(method, params), onGarbage(count), onClose(error)
   */
  constructor(socket, options) {
    this.socket = socket;
    this.options = options;
    this.maxFrame = options.maxFrame;
    this.nextId = 1;
    this.pending = new Map();
    this.garbage = 0;
    this.outbox = []; // frames encoded in this tick, written together (see flush)
    this.flushScheduled = false;
    this.flush = this.flush.bind(this);
    const decoder = new FrameDecoder(this.maxFrame);
    socket.on('data', (chunk) => {
      let payloads;
      try {
        payloads = decoder.push(chunk);
      } catch (err) {
        socket.destroy(err); // an illegal length cuts the peer off
        return;
      }
      for (const payload of payloads) this.dispatch(decodePayload(payload));
    });
    socket.on('error', () => {}); // 'close' follows and carries the outcome
    socket.on('close', (hadError) => options.onClose(hadError));
  }

  /** Sends a request; resolves with the result or rejects with an RpcError. */
  request(method, params) {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      try {
        this.write({ id, method, params });
      } catch (err) {
        this.pending.delete(id);
        reject(new RpcError(err.code || 'bad_request', err.message));
      }
    });
  }

  /** Sends a notification; returns false when it could not be encoded. */
  notify(method, params) {
    try {
      this.write({ method, params });
      return true;
    } catch {
      return false;
    }
  }

  /**
   * Encodes now (so an oversized or unencodable message fails in the caller) and queues the frame;
   * every frame queued in one tick of the event loop goes out in one write (see flush).
   */
  write(message) {
    if (this.socket.destroyed) throw new RpcError('closed', 'the host connection is closed');
    this.outbox.push(encodeFrame(message, this.maxFrame));
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      process.nextTick(this.flush); // after the microtasks of this tick: the answers they settle join the batch
    }
  }

  /** Writes the queued frames: one buffer as is, several corked so the stream hands them to one writev. */
  flush() {
    this.flushScheduled = false;
    const frames = this.outbox;
    this.outbox = [];
    if (this.socket.destroyed || frames.length === 0) return;
    if (frames.length === 1) {
      this.socket.write(frames[0]);
      return;
    }
    this.socket.cork();
    for (const frame of frames) this.socket.write(frame);
    this.socket.uncork();
  }

  dispatch(msg) {
    if (msg === null) return this.countGarbage();
    const hasId = Number.isInteger(msg.id);
    if (typeof msg.method === 'string') {
      if (hasId) return this.answer(msg.id, msg.method, msg.params ?? {});
      if (!('id' in msg)) return this.options.onNotification(msg.method, msg.params ?? {});
      return this.countGarbage();
    }
    if (!hasId || !('result' in msg || 'error' in msg)) return this.countGarbage();
    const call = this.pending.get(msg.id);
    if (!call) return undefined; // not pending: dropped
    this.pending.delete(msg.id);
    if (msg.error) {
      const { code = 'error', message = 'the host returned an error' } = msg.error;
      call.reject(new RpcError(String(code), String(message)));
    } else {
      call.resolve(msg.result === undefined ? null : msg.result);
    }
    return undefined;
  }

  async answer(id, method, params) {
    let reply;
    try {
      const result = await this.options.onRequest(method, params);
      if (typeof result === 'function' || typeof result === 'symbol') {
        throw new RpcError('bad_result', `a ${typeof result} cannot be encoded as JSON`);
      }
      reply = { id, result: result === undefined ? null : result };
    } catch (err) {
      const rpc = err instanceof RpcError ? err : new RpcError('internal_error', String(err && err.message));
      reply = { id, error: { code: rpc.code, message: rpc.message } };
    }
    try {
      this.write(reply);
    } catch (err) {
      if (this.socket.destroyed) return;
      const detail = String(err.message).split('\n')[0];
      const why = err.code === 'frame_too_large' ? detail : `the result cannot be encoded as JSON: ${detail}`;
      this.write({ id, error: { code: 'bad_result', message: why } });
    }
  }

  countGarbage() {
    this.garbage += 1;
    this.options.onGarbage(this.garbage);
  }

  close() {
    this.socket.destroy();
  }
}

module.exports = { Connection, RpcError };
