package io.logomesh.host.agent;

import io.logomesh.host.container.docker.swarm.NodeFolders;
import io.logomesh.host.container.docker.swarm.PluginSlot;
import io.logomesh.host.ipc.relay.RelayHeader;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The plugins prepared on this node, by slot ({@link PluginSlot#folderName()}: the id, or {@code <id>.next} for the
 * version an upgrade starts beside the running one): each one's {@link PluginPost}, and the {@link EgressPost} of
 * each one that holds {@code network}. A post is named by its slot's folder name, which its {@link Relay} turns
 * into the relay header's plugin and slot ({@link NodeAgent#relay}). And the data folders of the plugins pinned
 * here ({@link DataFiles}, by plugin id: both slots of a plugin share one).
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

    /** The plugin was uninstalled: forgets both its slots and removes its data folder from this node. */
    synchronized void release(String pluginId) throws IOException {
        forget(PluginSlot.first(pluginId));
        forget(new PluginSlot(pluginId, true));
        data.release(pluginId);
    }

    /** Fills the plugin's code folder and opens its socket (refills the code when it is already prepared). */
    synchronized void prepare(String pluginId, int uid, Map<String, byte[]> code) throws IOException {
        prepare(pluginId, uid, code, false);
    }

    /** As {@link #prepare(PluginSlot, int, Map, boolean)} for the plugin's first slot. */
    synchronized void prepare(String pluginId, int uid, Map<String, byte[]> code, boolean egress)
            throws IOException {
        if (!PLUGIN_ID.matcher(pluginId).matches()) {
            throw new IllegalArgumentException("not a plugin id: " + pluginId);
        }
        prepare(PluginSlot.first(pluginId), uid, code, egress);
    }

    /**
     * Fills the code folder of the plugin's slot ({@code <root>/<node>/<slot folder>}, {@link NodeFolders#onNode}) and
     * opens its socket, whose connections are relayed headed with that slot; opens its {@code egress.sock} when it holds
     * {@code network} ({@code egress}), or closes it when it no longer does. The other slot is not touched.
     */
    synchronized void prepare(PluginSlot slot, int uid, Map<String, byte[]> code, boolean egress)
            throws IOException {
        if (uid < MIN_UID) {
            throw new IllegalArgumentException("a plugin never runs as uid " + uid);
        }
        if (egress && egressRelay == null) {
            throw new IllegalStateException("this agent relays no egress");
        }
        String name = slot.folderName();
        Path folder = folders.onNode(nodeId, slot);
        PluginPost existing = posts.get(name);
        if (existing != null) {
            existing.refill(code);
        } else {
            refuseTaken(slot, folder);
            posts.put(name, PluginPost.open(name, uid, folder, code, relay));
        }
        EgressPost open = this.egress.get(name);
        if (egress && open == null) {
            this.egress.put(name, EgressPost.open(name, uid, folder.resolve("ipc"), egressRelay));
        } else if (!egress && open != null) {
            this.egress.remove(name).close();
        }
    }

    /**
     * Refuses a slot whose node folder ({@link PluginSlot#nodeFolderName()}, a hash) another slot prepared here holds:
     * two plugins never share a folder, and so never a socket.
     */
    private void refuseTaken(PluginSlot slot, Path folder) {
        for (String other : posts.keySet()) {
            PluginSlot taken = PluginSlot.parse(other);
            if (folders.onNode(nodeId, taken).equals(folder)) {
                throw new IllegalArgumentException("the node folder of " + slot + " is " + taken + "'s");
            }
        }
    }

    /** Whether the plugin has an egress socket on this node (in its first slot). */
    boolean hasEgress(String pluginId) {
        return egress.containsKey(pluginId);
    }

    /** Closes the sockets of the plugin's first slot and removes its folders from this node. */
    synchronized void forget(String pluginId) throws IOException {
        forget(PluginSlot.first(pluginId));
    }

    /** Closes the sockets of the plugin's slot and removes its folders from this node; the other slot stays. */
    synchronized void forget(PluginSlot slot) throws IOException {
        String name = slot.folderName();
        EgressPost out = egress.remove(name);
        if (out != null) {
            out.close();
        }
        PluginPost post = posts.remove(name);
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
