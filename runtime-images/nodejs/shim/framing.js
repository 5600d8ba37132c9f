'use strict';
// Frames on the host socket: a 4-byte unsigned big-endian length N, then N bytes of
// UTF-8 JSON holding one object (see runtime-images/PROTOCOL.md, "Framing").

class FrameError extends Error {
  constructor(code, message) {
    super(message);
    this.code = code;
  }
}

/** Encodes one message into one buffer (header and body, one copy); throws FrameError (`frame_too_large`) past the cap. */
function encodeFrame(message, maxFrame) {
  const json = JSON.stringify(message);
  const length = Buffer.byteLength(json, 'utf8');
  if (length > maxFrame) {
    throw new FrameError('frame_too_large', `frame of ${length} bytes exceeds the ${maxFrame}-byte cap`);
  }
  const frame = Buffer.allocUnsafe(4 + length);
  frame.writeUInt32BE(length, 0);
  frame.write(json, 4, length, 'utf8');
  return frame;
}

/** Turns a byte stream into frame payloads; copes with split and batched reads. */
class FrameDecoder {
  constructor(maxFrame) {
    this.maxFrame = maxFrame;
    this.chunks = [];
    this.size = 0;
    this.need = 4; // bytes required before the next step can make progress
  }

  /** Returns the complete payloads (Buffers); throws FrameError on an illegal length. */
  push(chunk) {
    this.chunks.push(chunk);
    this.size += chunk.length;
    const payloads = [];
    while (this.size >= this.need) {
      const buf = this.chunks.length === 1 ? this.chunks[0] : Buffer.concat(this.chunks, this.size);
      const n = buf.readUInt32BE(0);
      if (n === 0 || n > this.maxFrame) {
        throw new FrameError('bad_frame', `peer announced a frame of ${n} bytes (allowed 1..${this.maxFrame})`);
      }
      if (buf.length < 4 + n) {
        this.chunks = [buf];
        this.need = 4 + n;
        break;
      }
      payloads.push(buf.subarray(4, 4 + n));
      const rest = buf.subarray(4 + n);
      this.chunks = rest.length ? [rest] : [];
      this.size = rest.length;
      this.need = 4;
    }
    return payloads;
  }
}

/** Parses a payload; returns the object, or null when it is not a JSON object. */
function decodePayload(payload) {
  try {
    const value = JSON.parse(payload.toString('utf8'));
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? value : null;
  } catch {
    return null;
  }
}

module.exports = { FrameError, FrameDecoder, encodeFrame, decodePayload };
