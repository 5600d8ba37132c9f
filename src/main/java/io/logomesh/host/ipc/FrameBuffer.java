package io.logomesh.host.ipc;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;

/**
 * A growable buffer that starts with room for the 4-byte frame header, so a message is serialised
 * straight into its frame (no copy of the payload into a second buffer).
 */
final class FrameBuffer extends ByteArrayOutputStream {

    FrameBuffer() {
        super(256);
        count = FrameDecoder.HEADER_BYTES;
    }

    /** Payload bytes written so far. */
    int payloadLength() {
        return count - FrameDecoder.HEADER_BYTES;
    }

    /** The frame (header filled in), ready to be written; shares this buffer's array. */
    ByteBuffer toFrame() {
        ByteBuffer frame = ByteBuffer.wrap(buf, 0, count);
        frame.putInt(0, payloadLength());
        return frame;
    }
}
