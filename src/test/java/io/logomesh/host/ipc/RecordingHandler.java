package io.logomesh.host.ipc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** An {@link IncomingHandler} that records what it receives; requests are served by a settable function. */
final class RecordingHandler implements IncomingHandler {

    /** Serves one request. */
    interface Server {
        CompletionStage<JsonNode> serve(String pluginId, String method, ObjectNode params) throws Exception;
    }

    record Call(String pluginId, String method, ObjectNode params) {
    }

    record Closing(String pluginId, String reason) {
    }

    private volatile Server server = (id, method, params) -> CompletableFuture.completedFuture(null);
    final BlockingQueue<Call> requests = new LinkedBlockingQueue<>();
    final BlockingQueue<Call> notifications = new LinkedBlockingQueue<>();
    final BlockingQueue<Closing> closings = new LinkedBlockingQueue<>();
    final List<String> order = new CopyOnWriteArrayList<>();

    void serveWith(Server server) {
        this.server = server;
    }

    @Override
    public CompletionStage<JsonNode> onRequest(String pluginId, String method, ObjectNode params) {
        requests.add(new Call(pluginId, method, params));
        try {
            return server.serve(pluginId, method, params);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void onNotification(String pluginId, String method, ObjectNode params) {
        order.add("notification:" + method);
        notifications.add(new Call(pluginId, method, params));
    }

    @Override
    public void onClose(String pluginId, String reason) {
        order.add("close");
        closings.add(new Closing(pluginId, reason));
    }

    Call nextNotification() throws InterruptedException {
        return require(notifications.poll(1, TimeUnit.SECONDS), "notification");
    }

    Call nextRequest() throws InterruptedException {
        return require(requests.poll(1, TimeUnit.SECONDS), "request");
    }

    Closing nextClosing() throws InterruptedException {
        return require(closings.poll(1, TimeUnit.SECONDS), "onClose");
    }

    private static <T> T require(T value, String what) {
        if (value == null) {
            throw new AssertionError("no " + what + " within 1 s");
        }
        return value;
    }
}
