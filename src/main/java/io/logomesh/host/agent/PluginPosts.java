package io.logomesh.host.agent;

import io.logomesh.host.container.docker.swarm.NodeFolders;
import io.logomesh.host.ipc.relay.RelayHeader;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The plugins prepared on this node, by id: each one's {@link PluginPost}, and the {@link EgressPost} of each one
 * that holds {@code network}; and the data folders of those pinned here ({@link DataFiles}).
 */
final class PluginPosts implements AutoCloseable {

    /** A plugin id, as the manifest allows it (and the relay's header carries it). */
    private static final Pattern PLUGIN_ID = RelayHeader.PLUGIN_ID;
    /** Plugins run as non-root uids. */
    private static final int MIN_UID = 1000;

    private final NodeFolders folders;
    private final String nodeId;
    private final Relay relay;
    private final Relay egressRelay;
    private final Map<String, PluginPost> posts = new ConcurrentHashMap<>();
    private final Map<String, EgressPost> egress = new ConcurrentHashMap<>();
    private final DataFiles data;

    PluginPosts(NodeFolders folders, String nodeId, Relay relay) {
        this(folders, nodeId, relay, null);
    }

    /** @param egressRelay relays the plugins' egress connections (null: no plugin gets an egress socket here) */
    PluginPosts(NodeFolders folders, String nodeId, Relay relay, Relay egressRelay) {
        this.folders = folders;
        this.nodeId = nodeId;
        this.relay = relay;
        this.egressRelay = egressRelay;
        this.data = new DataFiles(folders, nodeId);
    }

    /** Makes the plugin's data folder on this node ready for {@code uid} ({@link DataFiles#prepare}). */
    synchronized void prepareData(String pluginId, int uid, boolean fresh) throws IOException {
        data.prepare(pluginId, uid, fresh);
    }

    /** The plugin was uninstalled: forgets it and removes its data folder from this node. */
    synchronized void release(String pluginId) throws IOException {
        forget(pluginId);
        data.release(pluginId);
    }

    /** Fills the plugin's code folder and opens its socket (refills the code when it is already prepared). */
    synchronized void prepare(String pluginId, int uid, Map<String, byte[]> code) throws IOException {
        prepare(pluginId, uid, code, false);
    }

    /**
     * As {@link #prepare(String, int, Map)}, and opens the plugin's {@code egress.sock} when it holds
     * {@code network} ({@code egress}), or closes it when it no longer does.
     */
    synchronized void prepare(String pluginId, int uid, Map<String, byte[]> code, boolean egress)
            throws IOException {
        if (!PLUGIN_ID.matcher(pluginId).matches()) {
            throw new IllegalArgumentException("not a plugin id: " + pluginId);
        }
        if (uid < MIN_UID) {
            throw new IllegalArgumentException("a plugin never runs as uid " + uid);
        }
        if (egress && egressRelay == null) {
            throw new IllegalStateException("this agent relays no egress");
        }
        PluginPost existing = posts.get(pluginId);
        if (existing != null) {
            existing.refill(code);
        } else {
            posts.put(pluginId, PluginPost.open(pluginId, uid, folders.onNode(nodeId, pluginId), code, relay));
        }
        EgressPost open = this.egress.get(pluginId);
        if (egress && open == null) {
            this.egress.put(pluginId, EgressPost.open(pluginId, uid, folders.onNode(nodeId, pluginId).resolve("ipc"),
                    egressRelay));
        } else if (!egress && open != null) {
            this.egress.remove(pluginId).close();
        }
    }

    /** Whether the plugin has an egress socket on this node. */
    boolean hasEgress(String pluginId) {
        return egress.containsKey(pluginId);
    }

    /** Closes the plugin's sockets and removes its folders from this node. */
    synchronized void forget(String pluginId) throws IOException {
        EgressPost out = egress.remove(pluginId);
        if (out != null) {
            out.close();
        }
        PluginPost post = posts.remove(pluginId);
        if (post != null) {
            post.remove();
        }
    }

    int size() {
        return posts.size();
    }

    @Override
    public synchronized void close() {
        egress.values().forEach(EgressPost::close);
        egress.clear();
        posts.values().forEach(PluginPost::close);
        posts.clear();
    }
}
