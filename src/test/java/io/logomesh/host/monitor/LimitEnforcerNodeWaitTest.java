package io.logomesh.host.monitor;

import io.logomesh.host.audit.AuditEvent;
import io.logomesh.host.plugin.PluginState;
import io.logomesh.host.plugin.PluginStateEvent;
import io.logomesh.host.support.TestDataFolders;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jakarta.enterprise.event.Event;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/** A pinned plugin waiting for its node (cluster mode) is told so by one alert per wait, named as its reason. */
class LimitEnforcerNodeWaitTest {

    @TempDir
    Path dir;

    private final List<AuditEvent> audited = new CopyOnWriteArrayList<>();

    @SuppressWarnings("unchecked")
    private LimitEnforcer enforcer() {
        Event<AuditEvent> audit = (Event<AuditEvent>) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[]{Event.class}, (proxy, method, args) -> {
                    if (method.getName().equals("fire")) {
                        audited.add((AuditEvent) args[0]);
                    }
                    return null;
                });
        return new LimitEnforcer(TestDataFolders.config(dir, Map.of()), null, audit,
                new PluginMetrics(new SimpleMeterRegistry()));
    }

    private static PluginStateEvent move(PluginState from, PluginState to, String reason) {
        return new PluginStateEvent("notes", from, to, reason, Instant.now());
    }

    @Test
    void shouldRaiseOneNodeUnavailableAlertPerWaitNotOnePerTry() {
        LimitEnforcer enforcer = enforcer();

        enforcer.onState(move(PluginState.STARTING, PluginState.RESTARTING, "node_unavailable"));
        enforcer.onState(move(PluginState.RESTARTING, PluginState.STARTING, null));
        enforcer.onState(move(PluginState.STARTING, PluginState.RESTARTING, "node_unavailable"));

        assertThat(enforcer.alerts("notes")).singleElement().satisfies(a -> {
            assertThat(a.type()).isEqualTo("node_unavailable");
            assertThat(a.message()).contains("once it is back").doesNotContain("launch_failed");
        });
        assertThat(audited).filteredOn(e -> e.type().equals("alert")).hasSize(1);

        enforcer.onState(move(PluginState.STARTING, PluginState.ACTIVE, null));
        enforcer.onState(move(PluginState.STARTING, PluginState.FAILED, "node_unavailable"));
        assertThat(enforcer.alerts("notes")).as("a new wait, after it ran").hasSize(2)
                .extracting(Alert::type).containsOnly("node_unavailable");
    }
}
