package io.logomesh.host.plugin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.logomesh.host.config.DataFolder;
import io.logomesh.host.config.HostConfig;
import io.logomesh.host.container.ContainerEngineException;
import io.logomesh.host.container.ContainerExit;
import io.logomesh.host.container.ContainerFactory;
import io.logomesh.host.container.ContainerLaunchException;
import io.logomesh.host.container.PluginContainer;
import io.logomesh.host.ipc.IncomingHandler;
import io.logomesh.host.ipc.IpcLimits;
import io.logomesh.host.ipc.IpcTimeoutException;
import io.logomesh.host.ipc.PluginCallException;
import io.logomesh.host.ipc.PluginChannel;
import io.logomesh.host.ipc.PluginEndpoint;
import io.logomesh.host.manifest.PluginManifest;
import io.logomesh.host.settings.OperatorConfigs;
import io.logomesh.host.settings.SecretStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Starts a plugin session: opens the plugin's IPC endpoint, starts its locked-down
 * container, waits for the runtime to connect and say {@code ready}, then runs
 * {@code initialize(config)} and {@code activate()}, all within the activation timeout.
 * On any failure everything it made is removed and a {@link PluginActivationException}
 * names the reason.
 */
@ApplicationScoped
public class SessionLauncher {

    private static final Duration POLL = Duration.ofMillis(250);

    private final ContainerFactory containers;
    private final ContainerSpecs specs;
    private final DataFolder data;
    private final HostConfig config;
    private final ObjectMapper mapper;
    private final OperatorConfigs configs;
    private final SecretStore secrets;
    private final LastOutput lastOutput;

    @Inject
    public SessionLauncher(ContainerFactory containers, ContainerSpecs specs, DataFolder data,
                           HostConfig config, ObjectMapper mapper, OperatorConfigs configs, SecretStore secrets,
                           LastOutput lastOutput) {
        this.configs = configs;
        this.secrets = secrets;
        this.lastOutput = lastOutput;
        this.containers = containers;
        this.specs = specs;
        this.data = data;
        this.config = config;
        this.mapper = mapper;
    }

    /**
     * @param ipcFolder the name of the IPC folder under the IPC root: the plugin id, or a second name while an
     *                  upgrade runs the new version beside the old ({@link PluginHandle})
     */
    PluginSession launch(PluginManifest manifest, int uid, IncomingHandler handler, String ipcFolder) {
        String id = manifest.id();
        long deadline = System.nanoTime() + config.lifecycle().activationTimeout().toNanos();
        Path ipcDir = data.ipcRoot().resolve(ipcFolder);
        PluginEndpoint endpoint = PluginEndpoint.open(id, ipcDir, uid, ipcLimits(), handler, mapper);
        PluginContainer container = null;
        try {
            container = containers.start(specs.forPlugin(manifest, uid, ipcDir));
            PluginChannel channel = awaitConnection(endpoint, container, deadline);
            channel.ready().get(remainingMs(deadline), TimeUnit.MILLISECONDS);
            PluginContainer started = container;
            PluginSession session = new PluginSession(endpoint, container, channel,
                    why -> lastOutput.keep(id, started, why));
            await(session.call("initialize", initializeParams(manifest)), deadline);
            await(session.call("activate", mapper.createObjectNode()), deadline);
            return session;
        } catch (ContainerLaunchException | ContainerEngineException e) {
            endpoint.close();
            throw e;
        } catch (PluginCallException e) {
            throw failed(id, endpoint, container, e.code() + ": " + e.getMessage());
        } catch (TimeoutException | IpcTimeoutException e) {
            throw failed(id, endpoint, container, "timeout");
        } catch (RuntimeException | ExecutionException e) {
            throw failed(id, endpoint, container, "disconnected");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failed(id, endpoint, container, "interrupted");
        }
    }

    /**
     * The one place the {@code initialize} frame is made: the plugin id, the effective config (operator values
     * merged over the bundle's) and the plugin's secrets, decrypted (never in the environment, never logged).
     */
    private ObjectNode initializeParams(PluginManifest manifest) {
        ObjectNode init = mapper.createObjectNode().put("pluginId", manifest.id());
        init.set("config", configs.effective(manifest));
        ObjectNode values = init.putObject("secrets");
        secrets.values(manifest.id()).forEach(values::put);
        return init;
    }

    /**
     * Refuses to start a plugin whose effective config its {@code configSchema} refuses.
     *
     * @throws io.logomesh.host.settings.ConfigInvalidException listing every violation
     */
    void requireValidConfig(PluginManifest manifest) {
        var violations = OperatorConfigs.violations(manifest, configs.effective(manifest));
        if (!violations.isEmpty()) {
            throw new io.logomesh.host.settings.ConfigInvalidException(violations);
        }
    }

    /** Text from a plugin (a failure reason, an error) with its secrets' values cut out. */
    String redact(String pluginId, String text) {
        return secrets.redact(pluginId, text);
    }

    private IpcLimits ipcLimits() {
        HostConfig.Ipc ipc = config.ipc();
        long outbox = Math.max(ipc.outboxBytes(), ipc.maxFrameBytes() + 4L);
        return new IpcLimits(ipc.maxFrameBytes(), outbox, ipc.outboxFrames(), ipc.writeTimeout(),
                ipc.maxInFlightRequests(), ipc.notificationTimeout());
    }

    private static void await(java.util.concurrent.CompletableFuture<JsonNode> call, long deadline)
            throws TimeoutException, InterruptedException {
        try {
            call.get(remainingMs(deadline), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(e.getCause());
        } catch (TimeoutException e) {
            call.cancel(true);
            throw e;
        }
    }

    /** Waits for the runtime to connect, giving up early if its container has already ended. */
    private PluginChannel awaitConnection(PluginEndpoint endpoint, PluginContainer container, long deadline)
            throws TimeoutException {
        while (true) {
            long left = remainingMs(deadline);
            if (left <= 0) {
                throw new TimeoutException();
            }
            try {
                return endpoint.awaitConnection(Duration.ofMillis(Math.min(left, POLL.toMillis())));
            } catch (IpcTimeoutException e) {
                Optional<ContainerExit> exit = container.awaitExit(Duration.ZERO);
                if (exit.isEmpty() || !exit.get().running()) {
                    throw new IllegalStateException("container ended before connecting");
                }
            }
        }
    }

    private PluginActivationException failed(String id, PluginEndpoint endpoint, PluginContainer container,
                                             String reason) {
        String why = reason;
        if (container != null) {
            Optional<ContainerExit> exit = container.awaitExit(Duration.ofMillis(500));
            if (exit.isPresent() && !exit.get().running()) {
                why = exit.get().reason() + (reason.equals("disconnected") ? "" : " (" + reason + ")");
            }
            container.stop(config.lifecycle().stopGrace());
            lastOutput.keep(id, container, "activation failed: " + why); // LAST OUTPUT: kept before it goes
            container.remove();
        }
        endpoint.close();
        return new PluginActivationException(id, secrets.redact(id, why));
    }

    private static long remainingMs(long deadlineNanos) {
        return Math.max(0, TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime()));
    }
}
