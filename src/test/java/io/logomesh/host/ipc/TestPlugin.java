package io.logomesh.host.ipc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A fake runtime shim: connects to the host socket, sends frames, collects the host's frames. */
final class TestPlugin implements AutoCloseable {

    private final ObjectMapper mapper;
    private final SocketChannel socket;
    private final BlockingQueue<JsonNode> received = new LinkedBlockingQueue<>();
    private volatile boolean eof;

    private TestPlugin(ObjectMapper mapper, SocketChannel socket) {
        this.mapper = mapper;
        this.socket = socket;
        Thread.ofVirtual().name("test-plugin-reader").start(this::readLoop);
    }

    static TestPlugin connect(Path socketPath, ObjectMapper mapper) throws IOException {
        SocketChannel socket = SocketChannel.open(StandardProtocolFamily.UNIX);
        socket.connect(UnixDomainSocketAddress.of(socketPath));
        return new TestPlugin(mapper, socket);
    }

    ObjectNode json(String json) {
        try {
            return (ObjectNode) mapper.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void send(String json) throws IOException {
        sendPayload(json.getBytes(StandardCharsets.UTF_8));
    }

    void sendPayload(byte[] payload) throws IOException {
        ByteBuffer frame = ByteBuffer.allocate(4 + payload.length).putInt(payload.length).put(payload).flip();
        sendRaw(frame);
    }

    void sendRaw(ByteBuffer bytes) throws IOException {
        synchronized (socket) {
            while (bytes.hasRemaining()) {
                socket.write(bytes);
            }
        }
    }

    void sendReady() throws IOException {
        send("{\"method\":\"ready\",\"params\":{\"runtime\":\"nodejs\",\"runtimeVersion\":\"22.1.0\",\"protocol\":1}}");
    }

    /** The next frame from the host, or fails after a second. */
    JsonNode next() throws InterruptedException {
        JsonNode node = received.poll(1, TimeUnit.SECONDS);
        if (node == null) {
            throw new AssertionError("no frame from the host within 1 s");
        }
        return node;
    }

    /** Waits until the host closed the connection. */
    boolean awaitEof() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
        while (!eof && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        return eof;
    }

    /** Stops reading, so the host's writes fail (broken pipe). */
    void shutdownInput() throws IOException {
        socket.shutdownInput();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    private void readLoop() {
        FrameDecoder decoder = new FrameDecoder(16 * 1024 * 1024);
        ByteBuffer buffer = ByteBuffer.allocate(8192);
        try {
            while (socket.read(buffer.clear()) >= 0) {
                decoder.feed(buffer.flip(), payload -> {
                    try {
                        received.add(mapper.readTree(payload));
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
            }
        } catch (IOException e) {
            // closed
        } finally {
            eof = true;
        }
    }
}
