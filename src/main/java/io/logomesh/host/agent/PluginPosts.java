package io.logomesh.host.agent;

import io.logomesh.host.container.docker.swarm.NodeFolders;
import io.logomesh.host.ipc.relay.RelayHeader;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/** The plugins prepared on this node, by id: each one's {@link PluginPost}. */
final class PluginPosts implements AutoCloseable {

    /** A plugin id, as the manifest allows it (and the relay's header carries it). */
    private static final Pattern PLUGIN_ID = RelayHeader.PLUGIN_ID;
    /** Plugins run as non-root uids. */
    private static final int MIN_UID = 1000;

    private final NodeFolders folders;
    private final String nodeId;
    private final Relay relay;
    private final Map<String, PluginPost> posts = new ConcurrentHashMap<>();

    PluginPosts(NodeFolders folders, String nodeId, Relay relay) {
        this.folders = folders;
        this.nodeId = nodeId;
        this.relay = relay;
    }

    /** Fills the plugin's code folder and opens its socket (refills the code when it is already prepared). */
    synchronized void prepare(String pluginId, int uid, Map<String, byte[]> code) throws IOException {
        if (!PLUGIN_ID.matcher(pluginId).matches()) {
            throw new IllegalArgumentException("not a plugin id: " + pluginId);
        }
        if (uid < MIN_UID) {
            throw new IllegalArgumentException("a plugin never runs as uid " + uid);
        }
        PluginPost existing = posts.get(pluginId);
        if (existing != null) {
            existing.refill(code);
            return;
        }
        posts.put(pluginId, PluginPost.open(pluginId, uid, folders.onNode(nodeId, pluginId), code, relay));
    }

    /** Closes the plugin's socket and removes its folders from this node. */
    synchronized void forget(String pluginId) throws IOException {
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
        posts.values().forEach(PluginPost::close);
        posts.clear();
    }
}
