package io.logomesh.host.container.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Frame;
import io.logomesh.host.config.HostConfig;
import io.logomesh.host.container.ContainerEngineException;
import io.logomesh.host.container.ContainerLogs;
import io.logomesh.host.container.LogTail;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import java.util.concurrent.TimeUnit;

/**
 * Reads a plugin container's output from the engine's log driver ({@code json-file},
 * itself capped by {@code max-size} x {@code max-file}) into a {@link LogTail}: the host
 * never holds more than the configured caps, however much the plugin wrote.
 */
@ApplicationScoped
public class DockerContainerLogs implements ContainerLogs {

    private static final long READ_TIMEOUT_SECONDS = 10;

    private final DockerClient docker;
    private final HostConfig.Logs caps;

    @Inject
    public DockerContainerLogs(DockerClient docker, HostConfig config) {
        this.docker = docker;
        this.caps = config.logs();
    }

    @Override
    public String tail(String pluginId, int lines) {
        return read(ContainerLabels.containerName(pluginId), lines, false);
    }

    @Override
    public String timedTail(String containerId, int lines) {
        return read(containerId, lines, true);
    }

    @Override
    public Runnable follow(String pluginId, Consumer<String> line) {
        int cap = caps.maxLineBytes();
        ResultCallback.Adapter<Frame> callback = new ResultCallback.Adapter<>() {
            @Override
            public void onNext(Frame frame) {
                byte[] payload = frame.getPayload();
                int length = payload.length;
                while (length > 0 && (payload[length - 1] == '\n' || payload[length - 1] == '\r')) {
                    length--;
                }
                String text = new String(payload, 0, Math.min(length, cap), StandardCharsets.UTF_8);
                line.accept(length > cap ? text + " " + LogTail.MARKER + (length - cap) + " more bytes" : text);
            }
        };
        try {
            docker.logContainerCmd(ContainerLabels.containerName(pluginId)).withStdOut(true).withStdErr(true)
                    .withFollowStream(true).withTail(0)
                    .exec(callback);
        } catch (NotFoundException e) {
            return () -> { };
        } catch (RuntimeException e) {
            throw new ContainerEngineException(e);
        }
        return () -> {
            try {
                callback.close();
            } catch (IOException ignored) {
                // nothing left to release
            }
        };
    }

    private String read(String container, int lines, boolean timestamps) {
        int wanted = Math.max(1, Math.min(lines, caps.maxLines()));
        LogTail tail = new LogTail(wanted, caps.maxLineBytes(), caps.maxBytes());
        ResultCallback.Adapter<Frame> callback = new ResultCallback.Adapter<>() {
            @Override
            public void onNext(Frame frame) {
                synchronized (tail) {
                    tail.acceptRecord(frame.getPayload());
                }
            }
        };
        String name = container;
        try {
            docker.inspectContainerCmd(name).exec();
            docker.logContainerCmd(name).withTimestamps(timestamps)
                    .withStdOut(true).withStdErr(true).withTail(wanted + 1).withFollowStream(false) // one more: shows a cut
                    .exec(callback);
            if (!callback.awaitCompletion(READ_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                synchronized (tail) {
                    tail.accept(new byte[] {'\n'}, 0, 1);
                }
            }
        } catch (NotFoundException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            throw new ContainerEngineException(e);
        } finally {
            try {
                callback.close();
            } catch (IOException ignored) {
                // nothing left to release
            }
        }
        synchronized (tail) {
            return tail.text();
        }
    }
}
