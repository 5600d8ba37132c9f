package io.logomesh.host.messaging;

import io.logomesh.host.audit.AuditEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Test observer: keeps every AuditEvent fired, so tests can check what was audited. */
@ApplicationScoped
public class AuditRecorder {

    private final List<AuditEvent> events = new CopyOnWriteArrayList<>();

    void on(@Observes AuditEvent event) {
        if (events.size() < 200_000) {
            events.add(event);
        }
    }

    public List<AuditEvent> of(String type, String pluginId) {
        return events.stream().filter(e -> e.type().equals(type) && pluginId.equals(e.pluginId())).toList();
    }
}
