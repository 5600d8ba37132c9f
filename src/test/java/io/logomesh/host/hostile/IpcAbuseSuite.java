package io.logomesh.host.hostile;

import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.logging.Level;

import static io.logomesh.host.support.Api.get;

/**
 * Hostile plugins that write raw bytes on their own IPC connection (the runtime's socket, found
 * through /proc/self/fd), bypassing the shim. The host drops or refuses what breaks the protocol,
 * cuts that plugin off where PROTOCOL.md says so, and nothing reaches the host or other plugins.
 * Why the host closed a connection, what it dropped and how much of a flood it logged are read from
 * the host's own log ({@link HostLog}).
 */
abstract class IpcAbuseSuite extends HostileSupport {

    /** The host lets a plugin's log lines through at 50 a second, after a burst of 100 (PluginRequestRouter). */
    private static final int LOG_BURST = 100;
    private static final int LOG_LINES_PER_SECOND = 50;

    @BeforeAll
    static void watchTheHostLog() {
        HostLog.watch(HostLog.IPC, Level.FINE);
        HostLog.watch(HostLog.PLUGIN_LINES, Level.INFO);
    }

    @Test
    void oversizedFrameCutsThePluginOff() {
        cutOff("oversized", "announced length 0x7fffffff", "frame too large");
    }

    @Test
    void garbageBytesCutThePluginOff() {
        cutOff("garbageBytes", "'GET / HTTP' read as a length", "frame too large");
    }

    @Test
    void repeatedGarbageFramesCutThePluginOff() {
        cutOff("garbageFrames", "150 non-JSON frames", "too many garbage frames");
    }

    /** The plugin's connection is closed for {@code expectedReason}, its action answers 502, it is FAILED. */
    private void cutOff(String attack, String sent, String expectedReason) {
        contain("ipc: " + attack, o -> {
            String id = install("ipc-abuse");
            long mark = HostLog.mark();
            o.start();
            Response r = run(id, attack, "{}");
            JsonPath state = awaitStateOrLast(id, "FAILED", 20);
            o.noticed();
            String reason = closeReason(mark, id);
            o.assertThat(reason).as("why the host closed the connection").contains(expectedReason);
            o.assertThat(r.statusCode()).as("the action cannot complete on a cut connection: %s", r.asString())
                    .isEqualTo(502);
            o.assertThat(state.getString("state")).isEqualTo("FAILED");
            o.how(sent + " -> connection closed (" + reason + "); action HTTP " + r.statusCode() + "; plugin "
                    + state.getString("state") + " (" + state.getString("failureReason") + ")");
            assertRecovered(o);
            remove(id);
        });
    }

    /** The close reason the host logged for the plugin's connection, or "none logged". */
    private static String closeReason(long mark, String id) {
        for (int i = 0; i < 20; i++) {
            List<String> closed = HostLog.linesSince(mark, id, "connection closed (");
            if (!closed.isEmpty()) {
                String line = closed.get(0);
                return line.substring(line.indexOf("connection closed (") + "connection closed (".length(),
                        line.lastIndexOf(')'));
            }
            sleep(100);
        }
        return "none logged";
    }

    @Test
    void partialFrameIsBoundedByTheActionTimeout() {
        contain("ipc: partial frame never completed", o -> {
            String id = install("ipc-abuse");
            String before = get(id).extract().path("containerId");
            o.start();
            Response r = run(id, "partial", "{}");
            o.noticed();
            o.assertThat(r.statusCode()).as(r.asString()).isEqualTo(504);
            echo(id); // a fresh container, a fresh connection
            String after = get(id).extract().path("containerId");
            o.assertThat(after).as("the container is replaced").isNotEqualTo(before);
            o.how("maxExecutionTimeMs -> HTTP " + r.statusCode() + " (" + r.jsonPath().getString("error") + "), "
                    + (after.equals(before) ? "container NOT replaced" : "container and connection replaced"));
            assertRecovered(o);
            remove(id);
        });
    }

    @Test
    void frameFloodDoesNotHurtTheHost() {
        contain("ipc: 20,000 frames in a burst", o -> {
            String id = install("ipc-abuse");
            String before = get(id).extract().path("containerId");
            long mark = HostLog.mark();
            o.start();
            JsonPath r = ok(id, "flood", "{\"frames\": 20000}");
            echo(id);
            o.noticed();
            int sent = r.getInt("sent");
            long seconds = o.millisSinceStart() / 1000 + 1;
            int logged = HostLog.linesSince(mark, id, "hx flood").size();
            o.assertThat(sent).isEqualTo(20000);
            o.assertThat(logged).as("flood lines in the host log within %d s (some reach it, the rest are cut)", seconds)
                    .isPositive().isLessThanOrEqualTo((int) (LOG_BURST + LOG_LINES_PER_SECOND * seconds));
            String after = get(id).extract().path("containerId");
            o.assertThat(after).as("the same container goes on").isEqualTo(before);
            o.how(sent + " frames read by the plugin's own reader; " + logged + " of them in the host log "
                    + "(rate-limited); same container");
            assertRecovered(o);
            remove(id);
        });
    }

    @Test
    void aFrameClaimingAnotherPluginsIdIsAttributedToItsSocket() {
        contain("ipc: frame claiming another plugin's id", o -> {
            String id = install("ipc-abuse");
            String nonce = UUID.randomUUID().toString();
            o.start();
            ok(id, "spoof", "{\"victim\":\"" + neighbour() + "\",\"nonce\":\"" + nonce + "\"}");
            Optional<String> caller = Optional.empty();
            for (int i = 0; i < 50 && caller.isEmpty(); i++) {
                caller = WhoAmIHandler.callerOf(nonce);
                sleep(100);
            }
            o.noticed();
            o.assertThat(caller).as("the host attributes the call to the socket it came from").contains(id);
            o.how("frame claimed " + neighbour() + "; the host attributed it to "
                    + caller.orElse("nobody (the call never arrived)") + ": identity is the socket, not the frame");
            echo(id);
            assertRecovered(o);
            remove(id);
        });
    }

    @Test
    void aReplyToARequestNeverMadeIsDropped() {
        contain("ipc: reply to a request never made", o -> {
            String id = install("ipc-abuse");
            String before = get(id).extract().path("containerId");
            long mark = HostLog.mark();
            o.start();
            ok(id, "strayReply", "{}");
            echo(id);
            o.noticed();
            int dropped = HostLog.linesSince(mark, id, "unknown id").size();
            String state = get(id).extract().path("state");
            String after = get(id).extract().path("containerId");
            o.assertThat(dropped).as("stray replies the host dropped (2 sent)").isEqualTo(2);
            o.assertThat(state).isEqualTo("ACTIVE");
            o.assertThat(after).as("the connection and container are kept").isEqualTo(before);
            o.how(dropped + " of 2 stray replies dropped; plugin " + state + ", "
                    + (after.equals(before) ? "same container" : "container replaced"));
            assertRecovered(o);
            remove(id);
        });
    }
}
