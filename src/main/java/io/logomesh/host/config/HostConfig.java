package io.logomesh.host.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.Optional;

/**
 * Every setting of the plugin host, under the {@code logomesh.} prefix
 * (environment: {@code LOGOMESH_...}). Defaults are safe for a single machine.
 */
@ConfigMapping(prefix = "logomesh")
public interface HostConfig {

    /** Folder holding installed bundles, plugin state, the host id and the generated API token. */
    @WithDefault("data")
    String dataDir();

    /** Folder whose sub-folders (each a plugin bundle) are installed at start-up; empty to skip. */
    @WithDefault("plugins")
    Optional<String> pluginsDir();

    /** What happens to the plugin folders of {@link #pluginsDir()} at start-up. */
    Plugins plugins();

    /** The plugin folders loaded at start-up. */
    interface Plugins {

        /**
         * A folder whose bundle differs from the installed plugin of its id: {@code upgrade} (default: it is
         * upgraded in place, unless its version is lower than the installed one, which is only reported),
         * or {@code report} (a warning names it; nothing changes).
         */
        @WithDefault("upgrade")
        OnChange onChange();

        /** See {@link #onChange()}. */
        enum OnChange { UPGRADE, REPORT }
    }

    /** Bearer token for the REST API ({@code LOGOMESH_API_TOKEN}); generated into the data folder when unset. */
    Optional<String> apiToken();

    /** Docker engine and runtime images. */
    Docker docker();

    /** Container limits applied to every plugin on top of its manifest. */
    Limits limits();

    /** Bundle upload caps. */
    Bundle bundle();

    /** The IPC proxy. */
    Ipc ipc();

    /** Lifecycle timeouts. */
    Lifecycle lifecycle();

    /** Admission control of actions ({@code POST /plugins/{id}/actions}). */
    Actions actions();

    /** The audit trail ({@code <data-dir>/audit/}). */
    Audit audit();

    /** Liveness: how the host watches its own loops. */
    Health health();
    /** Plugin-to-plugin messages and events. */
    Messaging messaging();
    /** Caps on what {@code GET /api/v1/plugins/{id}/logs} reads and returns. */
    Logs logs();
    /** Resource monitoring, limit checks and resource grants. */
    Monitor monitor();
    /** Who may read what without the bearer token. */
    Api api();
    /** Restarting plugins that crashed, were OOM-killed or lost their engine (docs/restarts.md). */
    Restart restart();

    /**
     * Self-healing: a plugin whose container ended without being asked to (crash, exit, OOM kill, lost
     * connection, lost engine) is started again after a back-off that doubles from {@link #initialBackoff()}
     * to {@link #maxBackoff()}; after {@link #maxRestarts()} restarts within {@link #window()} it stays
     * FAILED ({@code crash_loop}).
     */
    interface Restart {
        /** Policy of a plugin whose manifest names none: {@code on-failure} or {@code never}. */
        @WithDefault("on-failure")
        String policy();

        /** Restarts allowed within {@link #window()}; the failure after them ends the plugin as a crash loop. */
        @WithDefault("5")
        int maxRestarts();

        /** The window in which restarts are counted for crash-loop detection. */
        @WithDefault("10m")
        Duration window();

        /** Wait before the first restart; each further one waits twice as long as the one before. */
        @WithDefault("1s")
        Duration initialBackoff();

        /** Longest wait between two restarts. */
        @WithDefault("5m")
        Duration maxBackoff();

        /** A plugin that ran ACTIVE this long before it failed starts again from {@link #initialBackoff()}. */
        @WithDefault("10m")
        Duration healthyAfter();

        /** How often the engine is asked whether it answers (to reconcile once it is back). */
        @WithDefault("2s")
        Duration engineCheckInterval();

        /**
         * What happens to the running dependents of a plugin that failed for good: {@code keep-running}
         * (they get a {@code dependencyFailed} event and go on) or {@code stop} (they also get the event,
         * then are deactivated).
         */
        @WithDefault("keep-running")
        String dependents();
    }

    /** The egress proxy: the only way out of a plugin container that holds {@code network}. */
    Egress egress();

    /**
     * The host-side egress proxy a networked plugin reaches over {@code egress.sock} in its IPC folder
     * (docs/egress.md). Every cap is per plugin; byte, idle and time caps per connection.
     */
    interface Egress {
        /**
         * Whether an allow-list entry that names a loopback, private (10/8, 172.16/12, 192.168/16, 100.64/10,
         * fc00::/7) or host-own address exactly (no wildcard) may reach it. Off: such addresses are refused
         * whatever the allow-list says. Link-local, multicast and unspecified addresses are refused always.
         */
        @WithDefault("false")
        boolean allowPrivate();

        /** Connections one plugin may have open through the proxy at once; past it a new one gets 429. */
        @WithDefault("16")
        int maxConnections();

        /** New connections per second one plugin may open (a token bucket); past it 429. */
        @WithDefault("20")
        double connectionRate();

        /** Burst of {@link #connectionRate()}. */
        @WithDefault("40")
        int connectionBurst();

        /** Bytes one connection may carry in each direction; past it the connection is cut. */
        @WithDefault("268435456")
        long maxBytes();

        /** A connection that carries nothing either way for this long is cut (also a request head not sent). */
        @WithDefault("60s")
        Duration idleTimeout();

        /** Longest life of one connection. */
        @WithDefault("10m")
        Duration maxDuration();

        /** Largest request head (request line and headers) the proxy reads; past it 431. */
        @WithDefault("16384")
        int maxHeaderBytes();

        /** Deadline of the proxy's own connect to the destination; past it 504. */
        @WithDefault("10s")
        Duration connectTimeout();
    }

    /** Prewarmed containers ("cells") per runtime: docs/prewarm.md. */
    Prewarm prewarm();

    /** Where plugins run: this machine's engine (default) or a Docker Swarm (docs/cluster.md). */
    Cluster cluster();

    /**
     * Cluster mode: plugins as services of a Docker Swarm, each worker's node agent relaying their sockets to this
     * host over mutual TLS (docs/cluster.md). Prewarmed cells are local containers: their pools must be 0 here.
     */
    interface Cluster {
        /** {@code single} (plugins are containers on {@code docker.host}) or {@code swarm}. */
        @WithDefault("single")
        String mode();

        /** The swarm manager's engine address (e.g. {@code unix:///run/manager.sock}); required in swarm mode. */
        Optional<String> manager();

        /** The address the relay listens on and the agents dial, {@code ip:port}; required in swarm mode. */
        Optional<String> relayAddress();

        /**
         * The folder on every worker under which the agent keeps the plugins' folders (at most 43 bytes, for the
         * sockets in them; a longer one is refused at start).
         */
        @WithDefault("/run/logomesh-nodes")
        String nodeRoot();

        /**
         * The folder on every worker under which the agent keeps the {@code /data} folders of plugins with
         * {@code fileSystemAccess} (a persistent disk: {@code node-root} is often a tmpfs); unset: under
         * {@code node-root}.
         */
        Optional<String> nodeDataRoot();

        /** The control plane's image, which the node agents run (deploy/build-image.sh); loaded on every worker. */
        @WithDefault("logomesh-host:latest")
        String agentImage();

        /**
         * The engine socket on every worker, which the node agent mounts (to read its plugins' counters and
         * follow its engine's events); the engine's template {@code {{.Node.Hostname}}} may name a per-node path.
         */
        @WithDefault("/var/run/docker.sock")
        String nodeEngineSocket();

        /** How long the host waits at start for at least one node agent to link. */
        @WithDefault("90s")
        Duration agentWait();

        /**
         * How long a plugin whose node was lost waits for the task the swarm placed on another node to connect
         * through that node's agent, to be initialised again on that connection (its service kept); past it the
         * plugin is restarted by its policy (a new service). 0 turns the wait off. Default 15 s: the swarm places
         * the task anew once the manager marks the node down (a few heartbeats) and the task starts within seconds.
         */
        @WithDefault("15s")
        Duration reconnectTimeout();
    }

    /**
     * Pools of started, locked-down containers that belong to no plugin yet; an activation (or a recovery)
     * takes one instead of starting a container. Each cell is an idle runtime process (working set measured
     * about 8 MiB for Node.js and 11 MiB for Python: docs/prewarm.md, BENCHMARKS.md).
     */
    interface Prewarm {
        /** The Node.js pool. */
        NodePool nodejs();

        /** The Python pool. */
        PythonPool python();

        /** The WebAssembly pool. */
        WasmPool webassembly();

        /**
         * First uid of cells (a cell is created before its plugin is known, so it runs as a uid of its own, not
         * the plugin's slot); must not overlap {@code limits.uid-base} + {@code limits.uid-range}.
         */
        @WithDefault("60000")
        int uidBase();

        /** How many cell uids there are (live cells and the plugins running in them use one each). */
        @WithDefault("4096")
        int uidRange();

        /** How many cells of one runtime may be starting at once while the pool refills. */
        @WithDefault("2")
        int refillParallelism();

        /** After a cell failed to start, how long its pool waits before it tries again. */
        @WithDefault("2s")
        Duration retryAfterFailure();

        /** Node.js cells: how many, and the {@code securityLevel} their runtime is started for. */
        interface NodePool {
            /** Cells kept ready; 0 turns the pool off. */
            @WithDefault("2")
            int size();

            /**
             * The {@code securityLevel} Node.js cells are started with (Node fixes {@code --permission} at start):
             * only plugins of this level take a cell, the others start cold.
             */
            @WithDefault("standard")
            String securityLevel();
        }

        /** Python cells. */
        interface PythonPool {
            /** Cells kept ready; 0 turns the pool off. */
            @WithDefault("2")
            int size();
        }

        /** WebAssembly cells. */
        interface WasmPool {
            /** Cells kept ready; 0 turns the pool off. */
            @WithDefault("2")
            int size();
        }
    }

    /** Access to the control plane's own endpoints. */
    interface Api {
        /**
         * Serve {@code /q/metrics} (per-plugin ids, states, usage) without the bearer token; by default
         * it needs the token like {@code /api/} (Prometheus scrapes with {@code authorization: bearer}).
         */
        @WithDefault("false")
        boolean metricsOpen();
    }

    /** Docker engine settings. */
    interface Docker {
        /** Engine address; defaults to {@code DOCKER_HOST} or the local Unix socket. */
        Optional<String> host();

        /** Image for {@code runtime: nodejs}. */
        @WithDefault("logomesh-runtime-nodejs:latest")
        String nodejsImage();

        /** Image for {@code runtime: python}. */
        @WithDefault("logomesh-runtime-python:latest")
        String pythonImage();

        /** Image for {@code runtime: webassembly}. */
        @WithDefault("logomesh-runtime-wasm:latest")
        String wasmImage();

        /**
         * A seccomp profile (JSON file) for plugin containers instead of the built-in one, which is
         * the engine's default profile without {@code ptrace} and {@code io_uring_*}.
         */
        Optional<String> seccompProfile();
    }

    /** Limits the host adds to every container. */
    interface Limits {
        /** Maximum number of processes and threads in a plugin container. */
        @WithDefault("64")
        long pidsLimit();

        /** Soft and hard {@code nofile} ulimit. */
        @WithDefault("256")
        long nofile();

        /** Size of the {@code /tmp} tmpfs, in MiB. */
        @WithDefault("16")
        int tmpfsMb();

        /** Docker json-file log size per file (e.g. {@code 1m}). */
        @WithDefault("1m")
        String logMaxSize();

        /** Number of Docker json-file log files kept. */
        @WithDefault("2")
        int logMaxFiles();

        /** First uid handed to plugin containers; each plugin gets its own uid above it. */
        @WithDefault("20000")
        int uidBase();

        /** How many distinct uids may be handed out above {@link #uidBase()}. */
        @WithDefault("40000")
        int uidRange();

        /** Size of each plugin's {@code /data} file system (only with {@code fileSystemAccess}), in MiB. */
        @WithDefault("64")
        int dataMb();

        /** How {@code /data} is bounded: see {@link DataQuota}. */
        @WithDefault("auto")
        DataQuota dataQuota();

        /** How each plugin's {@code /data} is bounded. */
        enum DataQuota {
            /** A loop-mounted ext4 image of {@link #dataMb()} where the host may mount one, else a plain folder (warned). */
            AUTO,
            /** Always a loop-mounted image; the host does not start where it cannot mount one. */
            IMAGE,
            /** A plain host folder, bounded only by the host's disk. */
            NONE
        }
    }

    /** Caps on uploaded bundles. */
    interface Bundle {
        /** Largest accepted upload (compressed), in bytes; larger gets 413. */
        @WithDefault("16777216")
        long maxBytes();

        /** Largest total of extracted file sizes, in bytes. */
        @WithDefault("67108864")
        long maxExtractedBytes();

        /** Most entries in one bundle: tar entries read, and files and folders created (folders implied by deep names included). */
        @WithDefault("2000")
        int maxEntries();

        /** Most path components in one entry name ({@code a/b/c} is 3); deeper is 400. */
        @WithDefault("32")
        int maxDepth();

        /** Longest entry name in UTF-8 bytes (each component at most 255, NAME_MAX); at most 3072. */
        @WithDefault("1024")
        int maxPathBytes();
    }

    /** IPC proxy settings. */
    interface Ipc {
        /** Folder of the per-plugin socket folders; defaults to {@code <data-dir>/ipc}. Keep the path short (Unix sockets allow 107 bytes). */
        Optional<String> dir();

        /** Largest frame payload, in bytes, in either direction. */
        @WithDefault("1048576")
        int maxFrameBytes();

        /** Bytes queued for one plugin (not yet read by it) past which host → plugin calls fail at once with {@code busy}. */
        @WithDefault("8388608")
        long outboxBytes();

        /** Frames queued for one plugin past which host → plugin calls fail at once with {@code busy}. */
        @WithDefault("4096")
        int outboxFrames();

        /** How long one write to a plugin's socket may stay unfinished before the plugin is cut off ("plugin stopped reading"). */
        @WithDefault("5s")
        Duration writeTimeout();

        /** Plugin → host requests served at once per plugin connection; past it a request is answered {@code busy}. */
        @WithDefault("64")
        int maxInFlightRequests();

        /** How long a plugin's full notification queue may hold its reader before the plugin is cut off. */
        @WithDefault("5s")
        Duration notificationTimeout();
    }

    /** Lifecycle timeouts. */
    interface Lifecycle {
        /** From container start to ACTIVE (connect, initialize, activate). */
        @WithDefault("20s")
        Duration activationTimeout();

        /** For {@code deactivate} and {@code dispose} calls into the plugin. */
        @WithDefault("5s")
        Duration callTimeout();

        /** Between SIGTERM and SIGKILL when a container is stopped. */
        @WithDefault("2s")
        Duration stopGrace();
    }

    /**
     * Admission control of actions: per plugin at most its manifest's {@code maxConcurrency} actions run inside
     * it, at most {@link #queuePerPlugin()} more wait in the host; past that, and for a call that cannot start
     * within {@link #queueTimeout()}, the answer is at once 429 {@code busy}.
     */
    interface Actions {
        /** Actions that may wait in the host, per plugin, for one of its {@code maxConcurrency} slots. */
        @WithDefault("64")
        int queuePerPlugin();

        /**
         * Longest wait in the host for a slot (capped by the plugin's {@code maxExecutionTimeMs}); a call that
         * would wait longer (estimated from recent actions) is refused at once, one that did is refused then.
         */
        @WithDefault("2s")
        Duration queueTimeout();

        /** {@code Retry-After} of a 429 {@code busy} or 503 {@code restarting} answer (whole seconds, at least 1). */
        @WithDefault("1s")
        Duration retryAfter();
    }

    /** The hash-chained audit trail. */
    interface Audit {
        /** Size at which {@code audit.log} is rotated to {@code audit-<n>.log}, in bytes. */
        @WithDefault("10485760")
        long maxFileBytes();

        /**
         * Whether each batch the audit writer thread appends is also forced to the disk (fsync); off, it reaches
         * the OS. Either way the caller only queues the record (see {@code queue-max-bytes}).
         */
        @WithDefault("false")
        boolean fsync();

        /** {@code ctx.auditLog} records a plugin may add per second (token bucket refill rate). */
        @WithDefault("20")
        int pluginRateLimit();

        /** {@code ctx.auditLog} records a plugin may add in one burst (token bucket size). */
        @WithDefault("40")
        int pluginRateBurst();

        /** Largest {@code ctx.auditLog} event, serialized, in bytes; larger is refused as {@code too_large}. */
        @WithDefault("8192")
        int pluginEventMaxBytes();

        /**
         * Longest id-like string kept in a record (plugin ids, actors, targets, paths, topics, action ids and
         * types), in characters; longer is cut and ends with {@code …[cut N chars]}.
         */
        @WithDefault("256")
        int fieldMaxChars();

        /** Longest other string kept in a record (reasons, error messages, a plugin's own text), in characters. */
        @WithDefault("2048")
        int textMaxChars();

        /**
         * Ceiling of one record, serialized, in bytes: a record still larger after its strings were cut keeps
         * only a note of how large its details were.
         */
        @WithDefault("16384")
        int recordMaxBytes();

        /**
         * Refusals one source may have recorded per second (token bucket refill rate). A source is a plugin
         * (its refused messages and emits, permission requests, denied grants) or, for unauthenticated
         * mutating REST calls, the remote address. Past it refusals are counted, and one
         * {@code audit}/{@code suppressed} record per kind says how many were left out.
         */
        @WithDefault("2")
        double refusalRate();

        /** Refusals one source may have recorded in one burst (token bucket size). */
        @WithDefault("20")
        int refusalBurst();

        /** How often suppressed refusals (and records dropped by a full queue) are summarised. */
        @WithDefault("10s")
        Duration summaryInterval();

        /**
         * Bytes of records waiting for the audit writer thread at most; past it a record is not queued but
         * counted, and an {@code audit}/{@code dropped} record says how many were lost. Callers never wait.
         */
        @WithDefault("16777216")
        long queueMaxBytes();

        /**
         * Retention by size: the audit folder's files together, in MiB. When rotation makes them larger the
         * oldest rotated files are deleted (an {@code audit}/{@code pruned} record says which). The folder
         * never holds more than this plus one {@code max-file-bytes}.
         */
        @WithDefault("512")
        long maxTotalMb();

        /** Retention by age: rotated files whose last write is older than this are deleted (recorded likewise). */
        @WithDefault("90d")
        Duration maxAge();
    }

    /** Liveness settings. */
    interface Health {
        /** How often the heartbeat loop beats (scheduler thread, then a virtual thread). */
        @WithDefault("5s")
        Duration heartbeatInterval();

        /** A loop silent for longer than this makes {@code /q/health/live} DOWN. */
        @WithDefault("60s")
        Duration maxSilence();
    }

    /** Plugin-to-plugin messaging through the host (sendMessage, emit). */
    interface Messaging {
        /** Longest wait for a receiver's reply; the receiver's {@code maxExecutionTimeMs} caps it further. */
        @WithDefault("10s")
        Duration timeout();

        /** Sustained messages + events per second one plugin may send (token bucket refill rate). */
        @WithDefault("20000")
        double ratePerSecond();

        /** Burst one plugin may send at once above the sustained rate (token bucket size). */
        @WithDefault("2000")
        int burst();

        /** Messages waiting for one receiver's replies at once; beyond it senders get {@code busy}. */
        @WithDefault("256")
        int maxInFlightPerReceiver();
    }

    /** Bounds of a plugin-log read: the host never holds more than this per request. */
    interface Logs {
        /** Most lines one answer returns (a larger {@code tail} is cut to this). */
        @WithDefault("1000")
        int maxLines();

        /** Longest line kept, in bytes; the rest of a longer line is replaced by a marker line. */
        @WithDefault("4096")
        int maxLineBytes();

        /** Most bytes one answer returns; older lines beyond it are replaced by a marker line. */
        @WithDefault("262144")
        long maxBytes();
    }

    /** Resource monitoring: the poller, its history, the alert thresholds and the grant budget. */
    interface Monitor {
        /** How often every running plugin container is sampled (e.g. {@code 1s}, {@code 250ms}). */
        @WithDefault("1s")
        Duration interval();

        /** How long samples are kept per plugin for {@code /usage/history}. */
        @WithDefault("10m")
        Duration historyWindow();

        /** Longest wait for one container's sample; a slower one is skipped this round. */
        @WithDefault("2s")
        Duration sampleTimeout();

        /** Memory working set, in percent of the limit, from which a warning is raised. */
        @WithDefault("90")
        int memoryWarningPercent();

        /** CPU use, in percent of {@code maxCpuPercent}, that counts as "at the limit" for the CPU warning. */
        @WithDefault("95")
        int cpuWarningPercent();

        /** How many samples in a row CPU must be at the limit before a warning. */
        @WithDefault("5")
        int cpuSustainedSamples();

        /** Tasks, in percent of the pids limit, from which a warning is raised. */
        @WithDefault("90")
        int pidsWarningPercent();

        /** Alerts kept per plugin (oldest dropped first). */
        @WithDefault("200")
        int alertsKept();

        /** Root of the cgroup file system the counters are read from. */
        @WithDefault("/sys/fs/cgroup")
        String cgroupRoot();

        /** Root of the proc file system (network counters of a container's init process). */
        @WithDefault("/proc")
        String procRoot();

        /** Host-wide budget that resource grants are taken from (on top of the manifests' own limits). */
        Budget budget();

        /** The grant budget. */
        interface Budget {
            /** Memory, in MiB, that may be granted to all plugins together. */
            @WithDefault("1024")
            int memoryMB();

            /** CPU, in percent of one core, that may be granted to all plugins together. */
            @WithDefault("200")
            double cpuPercent();

            /**
             * The most one plugin may hold of each budget, in percent of it (memory and CPU alike), so
             * that one plugin cannot borrow the whole budget; (0, 100], 100 switches the cap off.
             */
            @WithDefault("50")
            double maxPerPluginPercent();
        }
    }
}
