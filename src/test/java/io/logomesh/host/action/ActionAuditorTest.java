package io.logomesh.host.action;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.logomesh.host.audit.AuditEvent;
import io.logomesh.host.audit.AuditHashing;
import io.logomesh.host.manifest.PluginManifest.AuditLevel;
import io.logomesh.host.plugin.ActionRequest;
import io.logomesh.host.plugin.ActionResult;
import io.logomesh.host.plugin.ActionTimeoutException;
import io.logomesh.host.plugin.PluginBusyException;
import io.logomesh.host.plugin.PluginRestartingException;
import io.logomesh.host.plugin.PluginUnavailableException;
import jakarta.enterprise.event.Event;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** What an action record holds at each audit level. */
class ActionAuditorTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<AuditEvent> fired = new ArrayList<>();
    private final ActionAuditor auditor = new ActionAuditor(recorder());

    @SuppressWarnings("unchecked")
    private Event<AuditEvent> recorder() {
        return (Event<AuditEvent>) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[]{Event.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("fire")) {
                        fired.add((AuditEvent) args[0]);
                    }
                    return null;
                });
    }

    private static ActionRequest action() throws Exception {
        return new ActionRequest("a-1", "echo", JSON.readTree("{\"b\":2, \"a\":1}"));
    }

    private static ActionResult ok(String json) throws Exception {
        JsonNode result = JSON.readTree(json);
        return new ActionResult(true, result, null, 12);
    }

    private static String sha(String compact) {
        return AuditHashing.sha256Hex(compact.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void basicShouldHoldTypeOutcomeAndDurationOnly() throws Exception {
        auditor.completed("p", AuditLevel.BASIC, "operator", action(), ok("[1,2]"));
        AuditEvent e = fired.get(0);
        assertThat(e.type()).isEqualTo("action");
        assertThat(e.outcome()).isEqualTo("ok");
        assertThat(e.actor()).isEqualTo("operator");
        assertThat(e.details().fieldNames()).toIterable().containsExactlyInAnyOrder("actionType", "actionId", "durationMs");
        assertThat(e.detail("durationMs").asLong()).isEqualTo(12);
    }

    @Test
    void detailedShouldAddSizesAndCaller() throws Exception {
        auditor.completed("p", AuditLevel.DETAILED, "plugin:other", action(), ok("[1,2]"));
        AuditEvent e = fired.get(0);
        assertThat(e.actor()).isEqualTo("plugin:other");
        assertThat(e.detail("caller").asText()).isEqualTo("plugin:other");
        assertThat(e.detail("payloadBytes").asInt()).isEqualTo("{\"b\":2,\"a\":1}".length());
        assertThat(e.detail("resultBytes").asInt()).isEqualTo(5);
        assertThat(e.details().has("payloadSha256")).isFalse();
    }

    @Test
    void comprehensiveShouldAddHashesOfPayloadAndResult() throws Exception {
        auditor.completed("p", AuditLevel.COMPREHENSIVE, "operator", action(), ok("{\"x\":\"é\"}"));
        AuditEvent e = fired.get(0);
        assertThat(e.detail("payloadSha256").asText()).isEqualTo(sha("{\"b\":2,\"a\":1}"));
        assertThat(e.detail("resultSha256").asText()).isEqualTo(sha("{\"x\":\"é\"}"));
        assertThat(e.detail("resultBytes").asInt()).isEqualTo("{\"x\":\"é\"}".getBytes(StandardCharsets.UTF_8).length);
    }

    @Test
    void shouldRecordPluginErrorsTimeoutsAndUnavailablePlugins() throws Exception {
        auditor.completed("p", AuditLevel.COMPREHENSIVE, "operator", action(), new ActionResult(false, null, "boom", 3));
        auditor.refused("p", AuditLevel.BASIC, "operator", action(), 2000, new ActionTimeoutException("too slow"));
        auditor.refused("p", AuditLevel.BASIC, "operator", action(), 1, new PluginUnavailableException("gone"));
        auditor.refused("p", AuditLevel.BASIC, "operator", action(), 0, new PluginBusyException("full", 1));
        auditor.refused("p", AuditLevel.BASIC, "operator", action(), 0, new PluginRestartingException("new one", 1));

        assertThat(fired).extracting(AuditEvent::outcome)
                .containsExactly("plugin_error", "timeout", "unavailable", "busy", "restarting");
        assertThat(fired.get(3).detail("error").asText()).isEqualTo("busy");
        assertThat(fired.get(0).detail("error").asText()).isEqualTo("boom");
        assertThat(fired.get(0).details().has("resultSha256")).isFalse();
        assertThat(fired.get(1).detail("error").asText()).isEqualTo("action_timeout");
        assertThat(fired.get(2).detail("error").asText()).isEqualTo(new PluginUnavailableException("x").code());
    }
}
