package io.logomesh.host.ipc.relay;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * The first line an agent sends on a relay connection, right after the TLS handshake; every byte after it
 * belongs to the relayed stream. Grammar (ASCII, single spaces, one {@code \n}, at most {@value #MAX_BYTES}
 * bytes with it):
 *
 * <pre>
 * LOGOMESH-RELAY 1 plugin &lt;pluginId&gt; &lt;nodeId&gt;[ next]\n
 * LOGOMESH-RELAY 1 egress &lt;pluginId&gt; &lt;nodeId&gt;[ next]\n
 * LOGOMESH-RELAY 1 control &lt;nodeId&gt;\n
 * </pre>
 *
 * <p>The optional last word {@value #NEXT} of a {@code plugin} or {@code egress} header says the connection comes
 * from the plugin's {@code next} slot: the version an upgrade starts beside the running one, whose socket on the
 * node is another (docs/cluster.md). Without it the connection is the first slot's. Any other sixth word is refused.
 *
 * <p>The third word is the kind of connection: {@code plugin} (bytes of one plugin's IPC socket), {@code egress}
 * (bytes of one connection the plugin opened on its {@code egress.sock}, for the control plane's egress proxy) or
 * {@code control} (the node agent's standing link, over which the control plane orders it). Another kind is a
 * new record permitted here, and the switches over this type then fail to compile until they handle it. {@link #read} parses strictly: anything else, including
 * {@code \r}, tabs, doubled spaces or a kind it does not know, is a {@link RelayHeaderException}.
 */
public sealed interface RelayHeader permits RelayHeader.Plugin, RelayHeader.Egress, RelayHeader.Control {

    /** First word of every header. */
    String MAGIC = "LOGOMESH-RELAY";
    /** The only version of the header. */
    String VERSION = "1";
    /** Longest header, its {@code \n} included. */
    int MAX_BYTES = 256;
    /**
     * A plugin id (or a prewarmed cell's name, {@code cell-<runtime>-<n>}): lower-case letters, digits and
     * {@code -}, at most 63; a leading {@code -} too, as the manifest schema ({@code ^[a-z0-9-]+$}, 3–50) allows
     * it. No {@code /} or {@code .}, so it can never name a path.
     */
    Pattern PLUGIN_ID = Pattern.compile("[a-z0-9-]{1,63}");
    /** A Docker Swarm node id: 25 lower-case letters and digits. */
    Pattern NODE_ID = Pattern.compile("[a-z0-9]{25}");
    /** The last word of a header from a plugin's {@code next} slot. */
    String NEXT = "next";

    /** The header line, its {@code \n} included. */
    String line();

    /** Writes {@link #line()} as ASCII and flushes. */
    default void write(OutputStream out) throws IOException {
        out.write(line().getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    /** A {@code control} header; see {@link Control}. */
    static RelayHeader control(String nodeId) {
        return new Control(nodeId);
    }

    /** A {@code plugin} header; see {@link Plugin}. */
    static RelayHeader plugin(String pluginId, String nodeId) {
        return new Plugin(pluginId, nodeId);
    }

    /** A {@code plugin} header, of the plugin's {@code next} slot when {@code next}; see {@link Plugin}. */
    static RelayHeader plugin(String pluginId, String nodeId, boolean next) {
        return new Plugin(pluginId, nodeId, next);
    }

    /** An {@code egress} header; see {@link Egress}. */
    static RelayHeader egress(String pluginId, String nodeId) {
        return new Egress(pluginId, nodeId);
    }

    /** An {@code egress} header, of the plugin's {@code next} slot when {@code next}; see {@link Egress}. */
    static RelayHeader egress(String pluginId, String nodeId, boolean next) {
        return new Egress(pluginId, nodeId, next);
    }

    /**
     * Reads one header from {@code in}, one byte at a time so that not a byte past its {@code \n} is taken.
     * Blocks until the line is complete; the caller bounds the wait.
     *
     * @throws RelayHeaderException if the bytes are not a header (or end before its {@code \n})
     * @throws IOException          if reading fails
     */
    static RelayHeader read(InputStream in) throws IOException {
        byte[] line = new byte[MAX_BYTES];
        for (int length = 0; length < MAX_BYTES; length++) {
            int b = in.read();
            if (b < 0) {
                throw new RelayHeaderException("relay header ended after " + length + " bytes, before its newline");
            }
            if (b == '\n') {
                return parse(new String(line, 0, length, StandardCharsets.US_ASCII));
            }
            if (b < 0x20 || b > 0x7e) {
                throw new RelayHeaderException("relay header has a byte that is not printable ASCII at " + length);
            }
            line[length] = (byte) b;
        }
        throw new RelayHeaderException("relay header has no newline within " + MAX_BYTES + " bytes");
    }

    /**
     * Parses a header line without its {@code \n}.
     *
     * @throws RelayHeaderException if it is not a header
     */
    static RelayHeader parse(String line) {
        if (line.length() >= MAX_BYTES || !line.chars().allMatch(c -> c >= 0x20 && c <= 0x7e)) {
            throw new RelayHeaderException("relay header is not one line of printable ASCII under " + MAX_BYTES
                    + " bytes");
        }
        String[] words = line.split(" ", -1);
        if (words.length < 3 || !MAGIC.equals(words[0])) {
            throw new RelayHeaderException("not a relay header (it must start with " + MAGIC + ")");
        }
        if (!VERSION.equals(words[1])) {
            throw new RelayHeaderException("relay header version is not " + VERSION);
        }
        return switch (words[2]) {
            case Plugin.KIND -> {
                boolean next = slotted(words, "a plugin");
                yield new Plugin(words[3], words[4], next);
            }
            case Egress.KIND -> {
                boolean next = slotted(words, "an egress");
                yield new Egress(words[3], words[4], next);
            }
            case Control.KIND -> {
                if (words.length != 4) {
                    throw new RelayHeaderException("a control relay header has 4 words separated by single spaces, not "
                            + words.length);
                }
                yield new Control(words[3]);
            }
            default -> throw new RelayHeaderException("unknown relay header kind");
        };
    }

    /**
     * Whether a {@code plugin} or {@code egress} header's words (5, or 6 with {@value #NEXT} last) name the
     * {@code next} slot.
     */
    private static boolean slotted(String[] words, String kind) {
        if (words.length == 6 && NEXT.equals(words[5])) {
            return true;
        }
        if (words.length != 5) {
            throw new RelayHeaderException(kind + " relay header has 5 words separated by single spaces (6 with "
                    + NEXT + " last), not " + (words.length == 6 ? "a sixth word other than " + NEXT : words.length));
        }
        return false;
    }

    /**
     * The connection carries the bytes of one plugin's IPC socket on one node.
     *
     * @param pluginId the plugin, matching {@link #PLUGIN_ID}
     * @param nodeId   the swarm node the agent runs on, matching {@link #NODE_ID}
     * @param next     whether the socket is the plugin's {@code next} slot's (the version an upgrade starts)
     * @throws RelayHeaderException if an id does not match its pattern
     */
    record Plugin(String pluginId, String nodeId, boolean next) implements RelayHeader {

        /** The kind word of this header. */
        public static final String KIND = "plugin";

        public Plugin {
            if (pluginId == null || !PLUGIN_ID.matcher(pluginId).matches()) {
                throw new RelayHeaderException("relay header plugin id does not match " + PLUGIN_ID.pattern());
            }
            if (nodeId == null || !NODE_ID.matcher(nodeId).matches()) {
                throw new RelayHeaderException("relay header node id does not match " + NODE_ID.pattern());
            }
        }

        /** The first slot's header. */
        public Plugin(String pluginId, String nodeId) {
            this(pluginId, nodeId, false);
        }

        @Override
        public String line() {
            return MAGIC + " " + VERSION + " " + KIND + " " + pluginId + " " + nodeId + (next ? " " + NEXT : "") + "\n";
        }
    }

    /**
     * The connection carries one connection a plugin opened on its {@code egress.sock} on one node; the control
     * plane hands it to that plugin's egress proxy, which decides it as a local one.
     *
     * @param pluginId the plugin whose socket the agent accepted it on, matching {@link #PLUGIN_ID}
     * @param nodeId   the swarm node the agent runs on, matching {@link #NODE_ID}
     * @param next     whether the socket is the plugin's {@code next} slot's
     * @throws RelayHeaderException if an id does not match its pattern
     */
    record Egress(String pluginId, String nodeId, boolean next) implements RelayHeader {

        /** The kind word of this header. */
        public static final String KIND = "egress";

        public Egress {
            if (pluginId == null || !PLUGIN_ID.matcher(pluginId).matches()) {
                throw new RelayHeaderException("relay header plugin id does not match " + PLUGIN_ID.pattern());
            }
            if (nodeId == null || !NODE_ID.matcher(nodeId).matches()) {
                throw new RelayHeaderException("relay header node id does not match " + NODE_ID.pattern());
            }
        }

        /** The first slot's header. */
        public Egress(String pluginId, String nodeId) {
            this(pluginId, nodeId, false);
        }

        @Override
        public String line() {
            return MAGIC + " " + VERSION + " " + KIND + " " + pluginId + " " + nodeId + (next ? " " + NEXT : "") + "\n";
        }
    }

    /**
     * The connection is a node agent's control link.
     *
     * @param nodeId the swarm node the agent runs on, matching {@link #NODE_ID}
     * @throws RelayHeaderException if the id does not match its pattern
     */
    record Control(String nodeId) implements RelayHeader {

        /** The kind word of this header. */
        public static final String KIND = "control";

        public Control {
            if (nodeId == null || !NODE_ID.matcher(nodeId).matches()) {
                throw new RelayHeaderException("relay header node id does not match " + NODE_ID.pattern());
            }
        }

        @Override
        public String line() {
            return MAGIC + " " + VERSION + " " + KIND + " " + nodeId + "\n";
        }
    }
}
