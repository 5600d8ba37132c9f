package io.logomesh.host.ipc;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;

/**
 * Encodes JSON objects into IPC frames (4-byte unsigned big-endian length + UTF-8 JSON)
 * and creates {@link FrameDecoder}s with the same per-frame cap. Immutable and
 * thread-safe.
 */
public final class FrameCodec {

    private final ObjectMapper mapper;
    private final int maxFrameBytes;

    public FrameCodec(ObjectMapper mapper, int maxFrameBytes) {
        if (maxFrameBytes < 1) {
            throw new IllegalArgumentException("maxFrameBytes must be positive: " + maxFrameBytes);
        }
        this.mapper = mapper;
        this.maxFrameBytes = maxFrameBytes;
    }

    /** The largest payload a frame may carry. */
    public int maxFrameBytes() {
        return maxFrameBytes;
    }

    /**
     * Serialises {@code message} and frames it.
     *
     * @throws FrameTooLargeException if the serialised object exceeds the cap
     */
    public ByteBuffer encode(ObjectNode message) {
        FrameBuffer out = new FrameBuffer();
        try {
            mapper.writeValue(out, message);
        } catch (java.io.IOException e) {
            throw new FrameMalformedException("frame malformed (cannot serialise message)", e);
        }
        int length = out.payloadLength();
        if (length == 0) {
            throw new FrameMalformedException("frame malformed (zero length)");
        }
        if (length > maxFrameBytes) {
            throw new FrameTooLargeException("frame too large (" + length + " > " + maxFrameBytes + " bytes)");
        }
        return out.toFrame();
    }

    /**
     * Frames an already serialised UTF-8 JSON payload. The returned buffer is ready to be
     * written (position 0, limit = 4 + payload length).
     *
     * @throws FrameTooLargeException if the payload exceeds the cap
     * @throws FrameMalformedException if the payload is empty
     */
    public ByteBuffer encode(byte[] payload) {
        if (payload.length == 0) {
            throw new FrameMalformedException("frame malformed (zero length)");
        }
        if (payload.length > maxFrameBytes) {
            throw new FrameTooLargeException(
                    "frame too large (" + payload.length + " > " + maxFrameBytes + " bytes)");
        }
        ByteBuffer frame = ByteBuffer.allocate(FrameDecoder.HEADER_BYTES + payload.length);
        frame.putInt(payload.length).put(payload).flip();
        return frame;
    }

    /** A fresh decoder for one connection, with this codec's cap. */
    public FrameDecoder newDecoder() {
        return new FrameDecoder(maxFrameBytes);
    }
}
