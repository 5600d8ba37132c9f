package io.logomesh.host.audit;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.logomesh.host.config.DataFolder;
import io.logomesh.host.config.HostConfig;
import io.logomesh.host.plugin.PluginState;
import io.logomesh.host.plugin.PluginStateEvent;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import java.util.List;

/**
 * The host's tamper-evident audit trail in {@code <data-dir>/audit/}: observes every
 * {@link AuditEvent} and every {@link PluginStateEvent} synchronously and appends one
 * hash-chained JSON line per record before the firing call continues.
 * A lifecycle change made while serving an operator's REST call is recorded with actor
 * {@code operator}; one the host makes by itself (restart, crash, replacement) with {@code host}
 * ({@link AuditActor}).
 */
@ApplicationScoped
public class AuditTrail {

    private final AuditFiles files;
    private final AuditWriter writer;
    private final AuditReader reader;

    @Inject
    public AuditTrail(HostConfig config, DataFolder data) {
        this.files = new AuditFiles(data.root().resolve("audit"));
        this.writer = new AuditWriter(files, config.audit().maxFileBytes(), config.audit().fsync());
        this.reader = new AuditReader(files, writer::whileStill);
    }

    void onAudit(@Observes AuditEvent event) {
        writer.append(event);
    }

    void onStateChange(@Observes PluginStateEvent event) {
        ObjectNode details = AuditEvent.newDetails();
        details.put("from", event.from().name());
        details.put("to", event.to().name());
        if (event.reason() != null) {
            details.put("reason", event.reason());
        }
        String outcome = event.to() == PluginState.FAILED ? "failed" : "ok";
        writer.append(new AuditEvent("lifecycle", event.pluginId(), AuditActor.current(), outcome, details, event.at()));
    }

    /** A page of records. */
    public List<AuditRecord> query(AuditQuery query) {
        return reader.query(query);
    }

    /** Checks the whole chain. */
    public VerifyReport verify() {
        return reader.verify();
    }

    /** The folder of the trail's files. */
    public AuditFiles files() {
        return files;
    }

    @PreDestroy
    void close() {
        writer.close();
    }
}
