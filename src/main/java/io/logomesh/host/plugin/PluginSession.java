package io.logomesh.host.plugin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.logomesh.host.container.AfterStart;
import io.logomesh.host.container.ContainerExit;
import io.logomesh.host.container.PluginContainer;
import io.logomesh.host.ipc.PluginChannel;
import io.logomesh.host.ipc.PluginEndpoint;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * One run of a plugin: its container, its IPC endpoint and the live connection to the
 * runtime inside. A session ends once; a plugin that is restarted gets a new session.
 */
final class PluginSession {

    /** How long stopping a container may take in the engine, past its grace period. */
    static final Duration ENGINE_BOUND = Duration.ofSeconds(20);
    private static final Logger LOG = Logger.getLogger(PluginSession.class);

    private final PluginEndpoint endpoint;
    private final PluginContainer container;
    private final PluginChannel channel;
    private final Instant startedAt = Instant.now();
    private final Consumer<String> lastOutput;
    private volatile boolean ending;
    private final java.util.concurrent.atomic.AtomicInteger inFlight = new java.util.concurrent.atomic.AtomicInteger();
    private final ActionClock actionClock = new ActionClock(ActionClock.SHARED);

    /**
     * How long after ACTIVE the held engine calls wait: the REST answer leaves the host within a few milliseconds
     * of it (measured: 1–3 ms for the JSON body and the write).
     */
    static final Duration ANSWER_MARGIN = Duration.ofMillis(20);

    private final int uid;
    private volatile AfterStart afterStart;

    /**
     * @param uid        the uid the plugin runs as in this session
     * @param lastOutput keeps the container's last output before it is removed after a crash or a kill (given
     *                   why: {@code killed}, {@code oom}, {@code exited:<code>}…): {@link LastOutput#keep}
     */
    PluginSession(PluginEndpoint endpoint, PluginContainer container, PluginChannel channel, int uid,
                  Consumer<String> lastOutput) {
        this.endpoint = endpoint;
        this.container = container;
        this.channel = channel;
        this.uid = uid;
        this.lastOutput = lastOutput;
    }

    /**
     * A session of the same container and endpoint on a new connection: the swarm moved the container's task to
     * another node, whose runtime connected afresh ({@link ConnectionLoss#MOVED}).
     */
    PluginSession takeOver(PluginChannel newChannel) {
        return new PluginSession(endpoint, container, newChannel, uid, lastOutput);
    }

    /**
     * Closes the connection, leaving the container and the endpoint as they are: the node the container ran on was
     * lost, and its relayed connection, silent for good, would only swallow what is sent to it. Its end is then taken
     * as any other ({@link PluginHandle#onConnectionClosed}).
     */
    void cutOff() {
        channel.close();
    }

    PluginEndpoint endpoint() {
        return endpoint;
    }

    /** Engine bookkeeping this session's start held back ({@link #started()} lets it run). */
    void holdUntilStarted(AfterStart held) {
        this.afterStart = held;
    }

    /** The start has been answered (the plugin is ACTIVE): what it held back runs once that answer has left. */
    void started() {
        AfterStart held = afterStart;
        if (held != null) {
            held.releaseAfter(ANSWER_MARGIN);
        }
    }

    /** The start failed: what it held back runs now, except the cell's rename. */
    void abandonStart() {
        AfterStart held = afterStart;
        if (held != null) {
            held.abandon();
        }
    }

    /** The uid the plugin runs as in this session (its own slot cold, the cell's in a prewarmed container). */
    int uid() {
        return uid;
    }

    String containerId() {
        return container.id();
    }

    /** The IPC folder the runtime speaks in (the plugin's own cold, the cell's in a prewarmed container). */
    java.nio.file.Path ipcDir() {
        return endpoint.socketPath().getParent();
    }

    Instant startedAt() {
        return startedAt;
    }

    /** Whether the host itself is ending this session (so a closed connection is expected). */
    boolean isEnding() {
        return ending;
    }

    boolean isConnected() {
        return channel.isOpen();
    }

    PluginContainer container() {
        return container;
    }

    /** Sends a notification to the runtime; false when the connection is gone, busy or the frame too large. */
    boolean tell(String method, ObjectNode params) {
        try {
            channel.notify(method, params);
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** Queues a request to the runtime; never blocks (a full outbox fails the future with {@code busy}). */
    CompletableFuture<JsonNode> call(String method, ObjectNode params) {
        return counted(channel.request(method, params));
    }

    /** A start's call ({@code initialize}, {@code activate}): written at once where it can (PluginChannel#requestAtOnce). */
    CompletableFuture<JsonNode> startCall(String method, ObjectNode params) {
        return counted(channel.requestAtOnce(method, params));
    }

    private CompletableFuture<JsonNode> counted(CompletableFuture<JsonNode> call) {
        inFlight.incrementAndGet();
        call.whenComplete((r, e) -> inFlight.decrementAndGet());
        return call;
    }

    /** The clocks of this container's actions ({@code maxExecutionTimeMs}). */
    ActionClock actionClock() {
        return actionClock;
    }

    /** Requests sent to the runtime and not answered yet (an upgrade waits for them before ending this session). */
    int inFlight() {
        return inFlight.get();
    }

    /**
     * Orderly end: says {@code shutdown} only when the plugin reads what it is sent (its outbox is
     * empty), then stops the container (SIGTERM, SIGKILL after {@code grace}); a plugin that is not
     * reading is killed at once. Then removes the container and closes the connection. Bounded in time
     * and immune to the caller's interrupt (see {@link #onEngine}).
     */
    void end(Duration grace) {
        end(grace, null);
    }

    /**
     * {@link #end(Duration)} of a run the host ends because it failed ({@code why}: {@code oom},
     * {@code memory_limit}, …): the container's last output is kept before it is removed.
     */
    void endFailed(Duration grace, String why) {
        end(grace, why);
    }

    private void end(Duration grace, String failed) {
        ending = true;
        boolean told = channel.isDrained() && tell("shutdown", JsonNodeFactory.instance.objectNode());
        onEngine(() -> {
            if (told) {
                container.stop(grace);
            } else {
                container.kill();
            }
            if (failed != null) {
                lastOutput.accept(failed); // LAST OUTPUT: kept before the container goes
            }
            container.remove();
        }, grace);
        channel.close();
        endpoint.close();
    }

    /**
     * Kill first: SIGKILL at once, no shutdown frame and no grace (the plugin overran its deadline or
     * stopped answering), then removes the container and closes the connection.
     */
    void kill() {
        ending = true;
        onEngine(() -> {
            container.kill();
            lastOutput.accept("killed"); // LAST OUTPUT: kept before the container goes
            container.remove();
        }, Duration.ZERO);
        channel.close();
        endpoint.close();
    }

    /**
     * Cut off first, killed without waiting for the engine: closes the connection and the endpoint now (so the
     * plugin can send the host nothing more, and a replacement may bind the same socket path at once), then
     * SIGKILLs and removes the container on a virtual thread once {@code notBefore} completes (the replacement's
     * start is answered), at the latest {@code atMost} from now. For a plugin past its deadline (no grace is
     * owed): the engine's kill and removal do not compete with its replacement's start for the host's CPU, and
     * meanwhile the old container stays inside its own CPU, memory and pids limits.
     */
    void killInBackground(CompletableFuture<?> notBefore, Duration atMost) {
        ending = true;
        channel.close();
        endpoint.close();
        BackgroundRemovals.start("kill-" + container.id(), () -> {
            try {
                notBefore.get(atMost.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException | ExecutionException | InterruptedException e) {
                // at the latest after atMost; an interrupt only ends the wait (the kill must still reach the engine)
            }
            try {
                container.kill();
                lastOutput.accept("killed"); // LAST OUTPUT: kept before the container goes
            } finally {
                container.remove(); // whatever keeping its output met
            }
        });
    }

    /** After the connection closed by itself: how the container ended, then clean up (killing it if it still runs). */
    String endAfterCrash(Duration wait) {
        ending = true;
        String[] reason = {"vanished"};
        onEngine(() -> {
            Optional<ContainerExit> exit = container.awaitExit(wait);
            reason[0] = exit.map(e -> e.running() ? "disconnected" : e.reason()).orElse("vanished");
            if (exit.isEmpty() || exit.get().running()) {
                container.kill();
            }
            lastOutput.accept(reason[0]); // LAST OUTPUT: kept before the container goes
            container.remove();
        }, wait);
        endpoint.close();
        return reason[0];
    }

    /**
     * Runs engine calls on a fresh virtual thread and waits for them at most {@code extra} +
     * {@link #ENGINE_BOUND}: the caller's interrupt status cannot cancel them half-way (an interrupted
     * thread's engine socket closes, {@code AsynchronousCloseException}, leaving the container running),
     * and an engine that does not answer cannot hold a lifecycle operation for ever (the container is
     * then reaped by label at the next start). The caller's interrupt status is kept.
     */
    private void onEngine(Runnable calls, Duration extra) {
        Thread worker = Thread.ofVirtual().name("engine-" + container.id()).start(calls);
        long deadline = System.nanoTime() + ENGINE_BOUND.plus(extra).toNanos();
        boolean interrupted = false;
        while (worker.isAlive()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                LOG.warnf("container %s: the engine did not finish stopping it within %s; going on",
                        container.id(), ENGINE_BOUND.plus(extra));
                break;
            }
            try {
                worker.join(Duration.ofNanos(left));
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
