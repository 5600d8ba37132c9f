package io.logomesh.host.hostile;

import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.util.Optional;
import java.util.UUID;

import static io.logomesh.host.support.Api.get;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hostile plugins that write raw bytes on their own IPC connection (the runtime's socket, found
 * through /proc/self/fd), bypassing the shim. The host drops or refuses what breaks the protocol,
 * cuts that plugin off where PROTOCOL.md says so, and nothing reaches the host or other plugins.
 */
abstract class IpcAbuseSuite extends HostileSupport {

    @Test
    void oversizedFrameCutsThePluginOff() {
        cutOff("oversized", "{}", "announced length 0x7fffffff > max frame -> connection closed");
    }

    @Test
    void garbageBytesCutThePluginOff() {
        cutOff("garbageBytes", "{}", "'GET / HTTP' read as a length > max frame -> connection closed");
    }

    @Test
    void repeatedGarbageFramesCutThePluginOff() {
        cutOff("garbageFrames", "{}", "more than 100 non-JSON frames -> connection closed");
    }

    private void cutOff(String attack, String payload, String how) {
        String id = install("ipc-abuse");
        long t0 = System.nanoTime();
        Response r = run(id, attack, payload);
        JsonPath state = awaitStateOrLast(id, "FAILED", 20);
        long notice = ContainmentLog.millisSince(t0);
        assertThat(r.statusCode()).as("the action cannot complete on a cut connection: %s", r.asString()).isEqualTo(502);
        assertThat(state.getString("state")).isEqualTo("FAILED");
        assertHostAndNeighbourHealthy();
        record("ipc: " + attack, true, how + "; plugin FAILED (" + state.getString("failureReason") + ")", notice,
                ContainmentLog.millisSince(t0));
        remove(id);
    }

    @Test
    void partialFrameIsBoundedByTheActionTimeout() {
        String id = install("ipc-abuse");
        String before = get(id).extract().path("containerId");
        long t0 = System.nanoTime();
        Response r = run(id, "partial", "{}");
        long notice = ContainmentLog.millisSince(t0);
        assertThat(r.statusCode()).as(r.asString()).isEqualTo(504);
        echo(id); // a fresh container, a fresh connection
        long recovered = ContainmentLog.millisSince(t0);
        assertThat((String) get(id).extract().path("containerId")).isNotEqualTo(before);
        assertHostAndNeighbourHealthy();
        record("ipc: partial frame never completed", true, "maxExecutionTimeMs -> 504, container and connection replaced",
                notice, recovered);
        remove(id);
    }

    @Test
    void frameFloodDoesNotHurtTheHost() {
        String id = install("ipc-abuse");
        String before = get(id).extract().path("containerId");
        long t0 = System.nanoTime();
        JsonPath r = ok(id, "flood", "{\"frames\": 20000}");
        long notice = ContainmentLog.millisSince(t0);
        assertThat(r.getInt("sent")).isEqualTo(20000);
        echo(id);
        assertThat((String) get(id).extract().path("containerId")).isEqualTo(before);
        assertHostAndNeighbourHealthy();
        record("ipc: 20,000 frames in a burst", true, "read by the plugin's own reader; plugin log lines rate-limited "
                + "in the host log", notice, ContainmentLog.millisSince(t0));
        remove(id);
    }

    @Test
    void aFrameClaimingAnotherPluginsIdIsAttributedToItsSocket() {
        String id = install("ipc-abuse");
        String nonce = UUID.randomUUID().toString();
        long t0 = System.nanoTime();
        ok(id, "spoof", "{\"victim\":\"" + neighbour() + "\",\"nonce\":\"" + nonce + "\"}");
        Optional<String> caller = Optional.empty();
        for (int i = 0; i < 50 && caller.isEmpty(); i++) {
            caller = WhoAmIHandler.callerOf(nonce);
            sleep(100);
        }
        long notice = ContainmentLog.millisSince(t0);
        assertThat(caller).as("the host attributes the call to the socket it came from").contains(id);
        echo(id);
        assertHostAndNeighbourHealthy();
        record("ipc: frame claiming another plugin's id", true, "identity is the socket, not the frame", notice,
                ContainmentLog.millisSince(t0));
        remove(id);
    }

    @Test
    void aReplyToARequestNeverMadeIsDropped() {
        String id = install("ipc-abuse");
        String before = get(id).extract().path("containerId");
        long t0 = System.nanoTime();
        ok(id, "strayReply", "{}");
        echo(id);
        long notice = ContainmentLog.millisSince(t0);
        get(id).statusCode(200).body("state", org.hamcrest.Matchers.is("ACTIVE"));
        assertThat((String) get(id).extract().path("containerId")).isEqualTo(before);
        assertHostAndNeighbourHealthy();
        record("ipc: reply to a request never made", true, "dropped (counted), connection kept", notice,
                ContainmentLog.millisSince(t0));
        remove(id);
    }
}
