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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * One live connection from a plugin's runtime shim (see {@code runtime-images/PROTOCOL.md}).
 *
 * <p>Writing never blocks the caller: {@link #request} and {@link #notify} serialise the frame on
 * the caller's thread and put it in a bounded per-connection outbox ({@link IpcLimits#outboxBytes()},
 * {@link IpcLimits#outboxFrames()}); past the bound they fail at once with
 * {@link IpcBackpressureException} (code {@code busy}) and nothing is sent. One virtual writer thread
 * ({@code ipc-write-<id>}) drains the outbox, gathering the frames queued since its last wakeup into
 * one write. A write that stays unfinished for longer than {@link IpcLimits#writeTimeout()} (the
 * plugin stopped reading) cuts the connection off with {@value #REASON_STOPPED_READING}. Answers to
 * the plugin's own requests are queued past the byte bound (their number is capped by
 * {@link IpcLimits#maxInFlightRequests()}).
 *
 * <p>Threading: a virtual reader thread ({@code ipc-read-<id>}) decodes frames.
 * <b>Responses complete the matching {@link #request} future on the reader thread itself</b>: a
 * caller must either wait ({@code get}/{@code join}, which resumes the caller's own thread) or
 * attach only short, non-blocking continuations to the returned future (queueing a frame, releasing
 * a counter); anything that may block (I/O, audit, engine calls, locks held by others) must run via
 * a {@code *Async} variant with the caller's own executor, or it stalls this plugin's reader.
 * Each incoming request is served on its own virtual thread (on the reader itself for methods the
 * handler declares {@linkplain IncomingHandler#servesInline non-blocking}), at most
 * {@link IpcLimits#maxInFlightRequests()} at once; past that a request is answered at once with
 * error {@code busy}. Notifications and the final {@link IncomingHandler#onClose} go, in order,
 * through a bounded queue to one virtual thread ({@code ipc-notify-<id>}); a queue that stays full
 * for {@link IpcLimits#notificationTimeout()} cuts the connection off.
 *
 * <p>Closing: EOF, a read or write error, the write deadline, an oversized or zero-length frame,
 * more than {@link #MAX_GARBAGE_FRAMES} garbage frames, {@link #close()}, or replacement by a newer
 * connection closes the socket, drops the outbox, fails every pending request and an unfinished
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
    /** Close reason: a write to the plugin did not finish within the write deadline. */
    public static final String REASON_STOPPED_READING = "plugin stopped reading";
    /** Close reason: the notification queue stayed full for the notification timeout. */
    public static final String REASON_NOTIFICATIONS_STALLED = "notification queue full";

    private static final Logger LOG = Logger.getLogger(PluginChannel.class);
    private static final int READ_BUFFER_BYTES = 64 * 1024;
    private static final int INBOX_CAPACITY = 1024;
    private static final Runnable STOP = () -> { };
    /** Host → plugin calls under way on every connection of this host (see {@link #quiet}). */
    private static final AtomicInteger ALL_PENDING = new AtomicInteger();

    private volatile String pluginId;
    private final SocketChannel socket;
    private final FrameCodec codec;
    private final IncomingHandler handler;
    private final ObjectMapper mapper;
    private final Executor virtual;
    private final ConcurrentHashMap<Long, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    /** Each pending request's mark in the stream: its answer proves the plugin read that far (FrameWriter). */
    private final ConcurrentHashMap<Long, Long> marks = new ConcurrentHashMap<>();
    private final AtomicLong nextId = new AtomicLong(1);
    private final CompletableFuture<ObjectNode> ready = new CompletableFuture<>();
    private final IpcLimits limits;
    private final FrameWriter writer;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final BlockingQueue<Runnable> inbox = new ArrayBlockingQueue<>(INBOX_CAPACITY);
    private final AtomicReference<String> closeReason = new AtomicReference<>();
    private final AtomicLong framesIn = new AtomicLong();
    private final AtomicLong garbageDropped = new AtomicLong();
    private final AtomicLong unknownResponses = new AtomicLong();
    private final AtomicLong requestsRefused = new AtomicLong();

    PluginChannel(String pluginId, SocketChannel socket, IpcLimits limits, IncomingHandler handler,
            ObjectMapper mapper) {
        this.pluginId = pluginId;
        this.socket = socket;
        this.limits = limits;
        this.codec = new FrameCodec(mapper, limits.maxFrameBytes());
        this.writer = new FrameWriter(pluginId, socket, limits, this::close);
        this.handler = handler;
        this.mapper = mapper;
        this.virtual = task -> Thread.ofVirtual().name("ipc-" + pluginId).start(task);
    }

    /** Starts the writer, reader and notification threads; called once by the endpoint. */
    void start() {
        writer.start();
        WriteWatchdog.watch(this);
        Thread.ofVirtual().name("ipc-notify-" + pluginId).start(this::notifyLoop);
        Thread.ofVirtual().name("ipc-read-" + pluginId).start(this::readLoop);
    }

    /** The plugin this connection belongs to (the endpoint's id). */
    /**
     * From now on this connection speaks, to its handler and in the host's log, as {@code pluginId}: a prewarmed
     * cell's connection when a plugin takes the cell (the socket is the cell's, given to that one plugin).
     */
    public void speakAs(String pluginId) {
        this.pluginId = pluginId;
    }

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
     * Writes or queues a request and returns the future of its result; does not block (FrameWriter). An error
     * response fails it with {@link PluginCallException}; a closed connection with {@link IpcClosedException};
     * a request larger than the frame cap with {@link FrameTooLargeException}; a full outbox, at
     * once, with {@link IpcBackpressureException}. The future completes on the reader thread (see
     * the class comment for what continuations may do). Timeouts are the caller's
     * ({@code orTimeout}); a future completed or cancelled by the caller is forgotten (a late
     * response then counts as unknown).
     */
    public CompletableFuture<JsonNode> request(String method, ObjectNode params) {
        return request(method, params, false);
    }

    /**
     * As {@link #request}, for the calls of a start ({@code load}, {@code initialize}, {@code activate}), which
     * nothing else competes with: written by the calling thread whenever the plugin has read enough of what came
     * before (FrameWriter), not only while the host is quiet ({@link #quiet}).
     */
    public CompletableFuture<JsonNode> requestAtOnce(String method, ObjectNode params) {
        return request(method, params, true);
    }

    private CompletableFuture<JsonNode> request(String method, ObjectNode params, boolean atOnce) {
        CompletableFuture<JsonNode> future = new CompletableFuture<>();
        long id = nextId.getAndIncrement();
        pending.put(id, future);
        ALL_PENDING.incrementAndGet();
        future.whenComplete((result, error) -> {
            pending.remove(id, future);
            marks.remove(id);
            ALL_PENDING.decrementAndGet();
        });
        if (!isOpen()) {
            future.completeExceptionally(closedException());
            return future;
        }
        try {
            long mark = send(new Request(id, method, params).toJson(mapper), atOnce);
            marks.put(id, mark);
            if (future.isDone()) { // answered (or failed) before the mark was put: nothing left to prove
                marks.remove(id);
            }
        } catch (PluginHostException e) {
            future.completeExceptionally(e);
        }
        return future;
    }

    /**
     * Writes or queues a notification; does not block (FrameWriter).
     *
     * @throws IpcClosedException if the connection is closed
     * @throws FrameTooLargeException if the message exceeds the frame cap
     * @throws IpcBackpressureException if the outbox is full
     */
    public void notify(String method, ObjectNode params) {
        send(new Notification(method, params).toJson(mapper), false);
    }

    /** True until the connection has closed, for whatever reason. */
    public boolean isOpen() {
        return closeReason.get() == null;
    }

    /** Why the connection closed; empty while it is open. */
    public Optional<String> closeReason() {
        return Optional.ofNullable(closeReason.get());
    }

    /**
     * Whether the plugin reads what it is sent: open, nothing queued and no write waiting for it.
     * A host that wants to say {@code shutdown} before stopping the container asks this first;
     * a plugin that is not reading is killed without it.
     */
    public boolean isDrained() {
        return isOpen() && writer.isEmpty();
    }

    /** A snapshot of this connection's counters. */
    public ChannelStats stats() {
        return new ChannelStats(framesIn.get(), writer.framesOut(), garbageDropped.get(), unknownResponses.get(),
                writer.refused(), requestsRefused.get(), writer.queuedBytes());
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
        WriteWatchdog.forget(this);
        try {
            socket.close();
        } catch (IOException e) {
            LOG.debugf(e, "plugin %s: closing the socket failed", pluginId);
        }
        writer.stop();
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

    /** Writes or queues the message; returns its mark in the stream (FrameWriter#offer). */
    private long send(ObjectNode message, boolean atOnce) {
        ByteBuffer frame = codec.encode(message);
        if (!isOpen()) {
            throw closedException();
        }
        long mark = writer.offer(frame, atOnce ? FrameWriter.Send.AT_ONCE : quiet());
        if (mark < 0) {
            throw new IpcBackpressureException("plugin " + pluginId + " is not reading fast enough ("
                    + writer.queuedBytes() + " bytes queued for it)");
        }
        return mark;
    }

    /** Queues an answer to one of the plugin's requests (bounded by the in-flight cap, not the outbox). */
    private void sendAnswer(ObjectNode message) {
        ByteBuffer frame = codec.encode(message);
        if (!isOpen()) {
            throw closedException();
        }
        writer.force(frame, quiet());
    }

    /**
     * A frame is written by the thread that sends it (FrameWriter) while the host is quiet: no other call under way
     * on this connection (either way) and at most one other host → plugin call on any. Under load the writer
     * thread's frames cost less: measured at 32 connections over 4 plugins, frames written at once whenever this
     * connection alone was quiet cost 20 to 30 % more CPU per action, host and plugins together.
     */
    private FrameWriter.Send quiet() {
        return pending.size() + inFlight.get() <= 1 && ALL_PENDING.get() <= 2
                ? FrameWriter.Send.AT_ONCE : FrameWriter.Send.QUEUED;
    }

    /** Frames written by the thread that sent them, not the writer thread (FrameWriter; tests). */
    long framesWrittenAtOnce() {
        return writer.writtenAtOnce();
    }

    /** Called by {@link WriteWatchdog}: cuts the connection off when the current write is past its deadline. */
    void checkWriteDeadline(long nowNanos) {
        long started = writer.writingSince();
        if (started != 0 && nowNanos - started > limits.writeTimeout().toNanos() && isOpen()) {
            LOG.warnf("plugin %s: a write did not finish within %d ms; cutting it off (%s)", pluginId,
                    limits.writeTimeout().toMillis(), REASON_STOPPED_READING);
            close(REASON_STOPPED_READING);
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
            case Request request -> admit(request);
            case Notification notification -> {
                if ("ready".equals(notification.method())) {
                    virtual.execute(() -> ready.complete(notification.params()));
                }
                offerNotification(() -> handler.onNotification(pluginId, notification.method(),
                        notification.params()));
            }
        }
    }

    /** Serves the request on its own virtual thread, or answers {@code busy} at once past the in-flight cap. */
    private void admit(Request request) {
        if (inFlight.incrementAndGet() > limits.maxInFlightRequests()) {
            inFlight.decrementAndGet();
            requestsRefused.incrementAndGet();
            ObjectNode refusal = Response.failure(request.id(), new RpcError("busy",
                    "too many requests in flight (at most " + limits.maxInFlightRequests() + ")")).toJson(mapper);
            try {
                send(refusal, false);
            } catch (IpcBackpressureException e) {
                close(REASON_STOPPED_READING); // it floods requests and reads none of the answers
            } catch (IpcClosedException e) {
                // closed meanwhile
            }
            return;
        }
        if (handler.servesInline(request.method())) {
            serve(request); // the handler promised not to block: no hop
        } else {
            virtual.execute(() -> serve(request));
        }
    }

    /** Queues a notification task, cutting the connection off if the queue stays full too long. */
    private void offerNotification(Runnable task) {
        try {
            if (inbox.offer(task) || inbox.offer(task, limits.notificationTimeout().toNanos(), TimeUnit.NANOSECONDS)) {
                return;
            }
            LOG.warnf("plugin %s: notification queue full for %d ms; cutting it off", pluginId,
                    limits.notificationTimeout().toMillis());
            close(REASON_NOTIFICATIONS_STALLED);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close("reader interrupted");
        }
    }

    private void completePending(Response response) {
        CompletableFuture<JsonNode> future = pending.remove(response.id());
        Long mark = marks.remove(response.id());
        if (mark != null) {
            writer.peerRead(mark); // answered: the plugin has read the stream up to this request
        }
        if (future == null) {
            unknownResponses.incrementAndGet();
            LOG.debugf("plugin %s: dropped a response to unknown id %d", pluginId, response.id());
            return;
        }
        // on the reader thread, no hop: continuations must not block (class comment)
        try {
            if (response.isError()) {
                RpcError error = response.error();
                future.completeExceptionally(new PluginCallException(error.code(), error.message()));
            } else {
                future.complete(response.result());
            }
        } catch (RuntimeException e) {
            LOG.errorf(e, "plugin %s: a continuation of a response failed", pluginId);
        }
    }

    /** Puts the final task on the ordered notification queue, waiting when full (only the ending reader waits). */
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
        stage.whenComplete((result, error) -> respond(request, result, error)); // respond only queues a frame
    }

    private void respond(Request request, JsonNode result, Throwable error) {
        inFlight.decrementAndGet();
        Response response = error == null
                ? Response.success(request.id(), result)
                : Response.failure(request.id(), toRpcError(request, error));
        try {
            try {
                sendAnswer(response.toJson(mapper));
            } catch (FrameTooLargeException e) {
                sendAnswer(Response.failure(request.id(), new RpcError(e.code(), e.getMessage())).toJson(mapper));
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
