package io.logomesh.host.monitor;

import io.logomesh.host.audit.AuditEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Test observer: keeps every {@link AuditEvent} the host fires. */
@ApplicationScoped
public class AuditCapture {

    private final List<AuditEvent> events = new CopyOnWriteArrayList<>();

    void on(@Observes AuditEvent event) {
        events.add(event);
    }

    public List<AuditEvent> of(String pluginId, String type) {
        return events.stream().filter(e -> pluginId.equals(e.pluginId()) && type.equals(e.type())).toList();
    }
}
