package io.logomesh.host.ipc;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Stateful decoder of the length-prefixed frames of the IPC protocol: a 4-byte unsigned
 * big-endian length {@code N} followed by {@code N} payload bytes.
 *
 * <p>Feed it byte chunks as they arrive (a chunk may hold part of a frame, or several
 * frames); each call returns the payloads completed by that chunk, in order. The header
 * is read before anything is allocated, so a frame never costs more than
 * {@code maxFrameBytes} of memory. A header announcing {@code N > maxFrameBytes} throws
 * {@link FrameTooLargeException}, {@code N == 0} throws {@link FrameMalformedException};
 * after either the decoder is poisoned and every further call throws the same exception
 * (the connection must be dropped, there is no way to resynchronise).
 *
 * <p>Not thread-safe: one decoder per connection, used by its reader thread.
 */
public final class FrameDecoder {

    /** Size of the length prefix. */
    public static final int HEADER_BYTES = 4;

    private final int maxFrameBytes;
    private final byte[] header = new byte[HEADER_BYTES];
    private int headerFilled;
    private byte[] payload;
    private int payloadFilled;
    private RuntimeException failure;

    public FrameDecoder(int maxFrameBytes) {
        if (maxFrameBytes < 1) {
            throw new IllegalArgumentException("maxFrameBytes must be positive: " + maxFrameBytes);
        }
        this.maxFrameBytes = maxFrameBytes;
    }

    /** Consumes every remaining byte of {@code chunk} and returns the completed payloads. */
    public List<byte[]> feed(ByteBuffer chunk) {
        List<byte[]> frames = new ArrayList<>(1);
        feed(chunk, frames::add);
        return frames;
    }

    /**
     * Consumes every remaining byte of {@code chunk}, handing each completed payload to
     * {@code sink} as soon as it is complete (so frames that precede a bad header in the
     * same chunk are still delivered before the exception).
     */
    public void feed(ByteBuffer chunk, Consumer<byte[]> sink) {
        if (failure != null) {
            throw failure;
        }
        while (chunk.hasRemaining()) {
            if (payload == null) {
                int n = Math.min(HEADER_BYTES - headerFilled, chunk.remaining());
                chunk.get(header, headerFilled, n);
                headerFilled += n;
                if (headerFilled == HEADER_BYTES) {
                    startPayload();
                }
            } else {
                int n = Math.min(payload.length - payloadFilled, chunk.remaining());
                chunk.get(payload, payloadFilled, n);
                payloadFilled += n;
            }
            if (payload != null && payloadFilled == payload.length) {
                byte[] complete = payload;
                payload = null;
                payloadFilled = 0;
                headerFilled = 0;
                sink.accept(complete);
            }
        }
    }

    /** Convenience for {@link #feed(ByteBuffer)} over {@code bytes[offset, offset + length)}. */
    public List<byte[]> feed(byte[] bytes, int offset, int length) {
        return feed(ByteBuffer.wrap(bytes, offset, length));
    }

    /** True when some bytes of an unfinished frame (header or payload) are buffered. */
    public boolean hasPartialFrame() {
        return headerFilled > 0;
    }

    private void startPayload() {
        long n = ByteBuffer.wrap(header).getInt() & 0xFFFF_FFFFL;
        if (n == 0) {
            failure = new FrameMalformedException("frame malformed (zero length)");
            throw failure;
        }
        if (n > maxFrameBytes) {
            failure = new FrameTooLargeException("frame too large (" + n + " > " + maxFrameBytes + " bytes)");
            throw failure;
        }
        payload = new byte[(int) n];
        payloadFilled = 0;
    }
}
