package io.logomesh.host.ipc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.logomesh.host.PluginHostException;
import io.logomesh.host.ipc.IpcMessage.Notification;
import io.logomesh.host.ipc.IpcMessage.Request;
import io.logomesh.host.ipc.IpcMessage.Response;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import org.jboss.logging.Logger;

/**
 * One live connection from a plugin's runtime shim (see {@code runtime-images/PROTOCOL.md}).
 *
 * <p>Threading: a virtual reader thread ({@code ipc-read-<id>}) decodes frames. Responses
 * complete the matching {@link #request} future (on a virtual thread, never the reader);
 * each incoming request is served on its own virtual thread; notifications and the final
 * {@link IncomingHandler#onClose} go, in order, through a bounded queue to one virtual
 * thread ({@code ipc-notify-<id>}). Writes are serialised by a lock, one frame at a time,
 * and may block the caller while the plugin does not read.
 *
 * <p>Closing: EOF, a read or write error, an oversized or zero-length frame, more than
 * {@link #MAX_GARBAGE_FRAMES} garbage frames, {@link #close()}, or replacement by a newer
 * connection closes the socket, fails every pending request and an unfinished
 * {@link #ready()} with {@link IpcClosedException} (message = the reason), and then calls
 * {@link IncomingHandler#onClose} once. Only the first reason counts.
 */
public final class PluginChannel implements AutoCloseable {

    /** A peer that sends more garbage frames than this over one connection is cut off. */
    public static final int MAX_GARBAGE_FRAMES = 100;
    /** Close reason: the plugin side closed the connection. */
    public static final String REASON_PEER_CLOSED = "plugin connection closed";
    /** Close reason: {@link #close()} was called. */
    public static final String REASON_HOST_CLOSED = "closed by host";
    /** Close reason: a newer connection arrived on the same endpoint. */
    public static final String REASON_REPLACED = "replaced by a new connection";

    private static final Logger LOG = Logger.getLogger(PluginChannel.class);
    private static final int READ_BUFFER_BYTES = 64 * 1024;
    private static final int INBOX_CAPACITY = 1024;
    private static final Runnable STOP = () -> { };

    private final String pluginId;
    private final SocketChannel socket;
    private final FrameCodec codec;
    private final IncomingHandler handler;
    private final ObjectMapper mapper;
    private final Executor virtual;
    private final ConcurrentHashMap<Long, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final AtomicLong nextId = new AtomicLong(1);
    private final CompletableFuture<ObjectNode> ready = new CompletableFuture<>();
    private final ReentrantLock writeLock = new ReentrantLock();
    private final BlockingQueue<Runnable> inbox = new ArrayBlockingQueue<>(INBOX_CAPACITY);
    private final AtomicReference<String> closeReason = new AtomicReference<>();
    private final AtomicLong framesIn = new AtomicLong();
    private final AtomicLong framesOut = new AtomicLong();
    private final AtomicLong garbageDropped = new AtomicLong();
    private final AtomicLong unknownResponses = new AtomicLong();

    PluginChannel(String pluginId, SocketChannel socket, int maxFrameBytes, IncomingHandler handler,
            ObjectMapper mapper) {
        this.pluginId = pluginId;
        this.socket = socket;
        this.codec = new FrameCodec(mapper, maxFrameBytes);
        this.handler = handler;
        this.mapper = mapper;
        this.virtual = task -> Thread.ofVirtual().name("ipc-" + pluginId).start(task);
    }

    /** Starts the reader and notification threads; called once by the endpoint. */
    void start() {
        Thread.ofVirtual().name("ipc-notify-" + pluginId).start(this::notifyLoop);
        Thread.ofVirtual().name("ipc-read-" + pluginId).start(this::readLoop);
    }

    /** The plugin this connection belongs to (the endpoint's id). */
    public String pluginId() {
        return pluginId;
    }

    /**
     * Completes with the params of the shim's {@code ready} notification
     * ({@code runtime}, {@code runtimeVersion}, {@code protocol}); fails with
     * {@link IpcClosedException} if the connection closes first. Each call returns a
     * new view, so callers cannot complete the channel's own future.
     */
    public CompletableFuture<ObjectNode> ready() {
        return ready.copy();
    }

    /**
     * Sends a request and returns the future of its result. An error response fails it
     * with {@link PluginCallException}; a closed connection with {@link IpcClosedException};
     * a request larger than the frame cap with {@link FrameTooLargeException}. Timeouts are
     * the caller's ({@code orTimeout}); a future completed or cancelled by the caller is
     * forgotten (a late response then counts as unknown).
     */
    public CompletableFuture<JsonNode> request(String method, ObjectNode params) {
        CompletableFuture<JsonNode> future = new CompletableFuture<>();
        long id = nextId.getAndIncrement();
        pending.put(id, future);
        future.whenComplete((result, error) -> pending.remove(id, future));
        if (!isOpen()) {
            future.completeExceptionally(closedException());
            return future;
        }
        try {
            send(new Request(id, method, params).toJson(mapper));
        } catch (PluginHostException e) {
            future.completeExceptionally(e);
        }
        return future;
    }

    /**
     * Sends a notification.
     *
     * @throws IpcClosedException if the connection is (or becomes, on a write error) closed
     * @throws FrameTooLargeException if the message exceeds the frame cap
     */
    public void notify(String method, ObjectNode params) {
        send(new Notification(method, params).toJson(mapper));
    }

    /** True until the connection has closed, for whatever reason. */
    public boolean isOpen() {
        return closeReason.get() == null;
    }

    /** Why the connection closed; empty while it is open. */
    public Optional<String> closeReason() {
        return Optional.ofNullable(closeReason.get());
    }

    /** A snapshot of this connection's counters. */
    public ChannelStats stats() {
        return new ChannelStats(framesIn.get(), framesOut.get(), garbageDropped.get(), unknownResponses.get());
    }

    /** Closes the connection with reason {@value #REASON_HOST_CLOSED}; idempotent. */
    @Override
    public void close() {
        close(REASON_HOST_CLOSED);
    }

    /** Closes with the given reason unless already closed; returns whether this call closed it. */
    boolean close(String reason) {
        if (!closeReason.compareAndSet(null, reason)) {
            return false;
        }
        try {
            socket.close();
        } catch (IOException e) {
            LOG.debugf(e, "plugin %s: closing the socket failed", pluginId);
        }
        for (Long id : pending.keySet()) {
            CompletableFuture<JsonNode> future = pending.remove(id);
            if (future != null) {
                future.completeExceptionally(new IpcClosedException(reason));
            }
        }
        ready.completeExceptionally(new IpcClosedException(reason));
        LOG.debugf("plugin %s: connection closed (%s)", pluginId, reason);
        return true;
    }

    private IpcClosedException closedException() {
        return new IpcClosedException(closeReason.get()); // only called once closed, so never null
    }

    private void send(ObjectNode message) {
        ByteBuffer frame = codec.encode(message);
        writeLock.lock();
        try {
            if (!isOpen()) {
                throw closedException();
            }
            while (frame.hasRemaining()) {
                socket.write(frame);
            }
            framesOut.incrementAndGet();
        } catch (IOException e) {
            close("write failed: " + e.getMessage());
            throw new IpcClosedException(closeReason.get(), e);
        } finally {
            writeLock.unlock();
        }
    }

    // ---- reading -------------------------------------------------------------------

    private void readLoop() {
        FrameDecoder decoder = codec.newDecoder();
        ByteBuffer buffer = ByteBuffer.allocate(READ_BUFFER_BYTES);
        try {
            while (isOpen()) {
                buffer.clear();
                if (socket.read(buffer) < 0) {
                    close(REASON_PEER_CLOSED);
                    break;
                }
                buffer.flip();
                decoder.feed(buffer, this::dispatch);
            }
        } catch (FrameTooLargeException | FrameMalformedException e) {
            close(e.getMessage());
        } catch (IOException e) {
            close(REASON_PEER_CLOSED + " (" + e.getMessage() + ")"); // e.g. reset by a crashing shim
        } catch (RuntimeException e) {
            LOG.errorf(e, "plugin %s: IPC reader failed", pluginId);
            close("internal error");
        } finally {
            close("reader stopped");
            enqueue(() -> handler.onClose(pluginId, closeReason.get()));
            enqueue(STOP);
        }
    }

    private void dispatch(byte[] payload) {
        if (!isOpen()) {
            return;
        }
        framesIn.incrementAndGet();
        Optional<IpcMessage> parsed = IpcMessage.parse(payload, mapper);
        if (parsed.isEmpty()) {
            long garbage = garbageDropped.incrementAndGet();
            LOG.debugf("plugin %s: dropped a garbage frame (%d so far)", pluginId, garbage);
            if (garbage > MAX_GARBAGE_FRAMES) {
                close("too many garbage frames (" + garbage + ")");
            }
            return;
        }
        switch (parsed.get()) {
            case Response response -> completePending(response);
            case Request request -> virtual.execute(() -> serve(request));
            case Notification notification -> {
                if ("ready".equals(notification.method())) {
                    virtual.execute(() -> ready.complete(notification.params()));
                }
                enqueue(() -> handler.onNotification(pluginId, notification.method(), notification.params()));
            }
        }
    }

    private void completePending(Response response) {
        CompletableFuture<JsonNode> future = pending.remove(response.id());
        if (future == null) {
            unknownResponses.incrementAndGet();
            LOG.debugf("plugin %s: dropped a response to unknown id %d", pluginId, response.id());
            return;
        }
        if (response.isError()) {
            RpcError error = response.error();
            virtual.execute(() -> future.completeExceptionally(new PluginCallException(error.code(), error.message())));
        } else {
            virtual.execute(() -> future.complete(response.result()));
        }
    }

    /** Puts a task on the ordered notification queue, waiting (back-pressure) when full. */
    private void enqueue(Runnable task) {
        boolean interrupted = false;
        while (true) {
            try {
                inbox.put(task);
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private void notifyLoop() {
        while (true) {
            Runnable task;
            try {
                task = inbox.take();
            } catch (InterruptedException e) {
                return;
            }
            if (task == STOP) {
                return;
            }
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.errorf(e, "plugin %s: IPC notification handler failed", pluginId);
            }
        }
    }

    // ---- serving plugin requests ---------------------------------------------------

    private void serve(Request request) {
        CompletionStage<JsonNode> stage;
        try {
            stage = handler.onRequest(pluginId, request.method(), request.params());
        } catch (RuntimeException e) {
            respond(request, null, e);
            return;
        }
        if (stage == null) {
            respond(request, null, null);
            return;
        }
        stage.whenCompleteAsync((result, error) -> respond(request, result, error), virtual);
    }

    private void respond(Request request, JsonNode result, Throwable error) {
        Response response = error == null
                ? Response.success(request.id(), result)
                : Response.failure(request.id(), toRpcError(request, error));
        try {
            try {
                send(response.toJson(mapper));
            } catch (FrameTooLargeException e) {
                send(Response.failure(request.id(), new RpcError(e.code(), e.getMessage())).toJson(mapper));
            }
        } catch (IpcClosedException e) {
            LOG.debugf("plugin %s: could not answer %s (%s)", pluginId, request.method(), e.getMessage());
        }
    }

    private RpcError toRpcError(Request request, Throwable error) {
        Throwable cause = error;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof PluginHostException hostException) {
            String message = hostException.getMessage();
            return new RpcError(hostException.code(), message == null ? "" : message);
        }
        LOG.errorf(cause, "plugin %s: handler for %s failed", pluginId, request.method());
        return new RpcError("internal", "internal error");
    }
}
