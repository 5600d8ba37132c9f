package io.logomesh.host.audit;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.logomesh.host.config.DataFolder;
import io.logomesh.host.config.HostConfig;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The host's tamper-evident audit trail in {@code <data-dir>/audit/}: observes every
 * {@link AuditEvent} synchronously (and is handed every plugin state change, {@link #recordLifecycle}), bounds it
 * ({@link AuditBounds}), rate-limits refusals per source ({@link RefusalLimiter}; a plugin that starts
 * to flood fires {@link AuditRefusalFlood}) and queues it for the writer thread
 * ({@link AuditAppender}), which appends hash-chained JSON lines and applies retention
 * ({@link AuditRetention}). The caller never does disk I/O; reads ({@link #query}, {@link #verify},
 * {@link #head}) first wait until what was queued before them is written.
 * A lifecycle change made while serving an operator's REST call is recorded with actor
 * {@code operator}; one the host makes by itself (restart, crash, replacement) with {@code host}
 * ({@link AuditActor}).
 */
@ApplicationScoped
public class AuditTrail {

    private static final Duration READ_WAIT = Duration.ofSeconds(10);

    private final AuditFiles files;
    private final AuditWriter writer;
    private final AuditReader reader;
    private final AuditBounds bounds;
    private final RefusalLimiter limiter;
    private final AuditAppender appender;
    private final AuditAnchor anchor;
    private final HostConfig.Audit config;
    private final Event<AuditRefusalFlood> flood;

    @Inject
    public AuditTrail(HostConfig config, DataFolder data, Event<AuditRefusalFlood> flood) {
        HostConfig.Audit a = config.audit();
        this.config = a;
        this.flood = flood;
        this.files = new AuditFiles(data.root().resolve("audit"));
        this.writer = new AuditWriter(files, a.maxFileBytes(), a.fsync());
        this.reader = new AuditReader(files, writer::whileStill);
        this.bounds = new AuditBounds(a.fieldMaxChars(), a.textMaxChars(), a.recordMaxBytes());
        this.limiter = new RefusalLimiter(a.refusalRate(), a.refusalBurst(), a.summaryInterval().toNanos());
        AuditRetention retention = new AuditRetention(files, a.maxTotalMb() * 1024 * 1024, a.maxAge(),
                Clock.systemUTC());
        this.appender = new AuditAppender(writer, retention, limiter, a.queueMaxBytes(), a.summaryInterval());
        this.anchor = new AuditAnchor(data.root());
    }

    void onAudit(@Observes AuditEvent event) {
        RefusalLimiter.Verdict verdict = limiter.admit(event, System.nanoTime());
        if (verdict == RefusalLimiter.Verdict.WRITE) {
            AuditBounds.Bounded b = bounds.bound(event);
            appender.offer(b.event(), b.estimatedBytes());
        } else if (verdict == RefusalLimiter.Verdict.TRIP && event.pluginId() != null) {
            flood.fire(new AuditRefusalFlood(AuditText.cutId(event.pluginId()),
                    AuditText.cutId(event.type() + ":" + event.outcome()), config.refusalRate(), config.refusalBurst()));
        }
    }

    /**
     * Records one state change of one plugin (type {@code lifecycle}, actor {@link AuditActor#current()}):
     * details {@code from}, {@code to} and, when given, {@code reason}; outcome {@code failed} or {@code ok}.
     */
    public void recordLifecycle(String pluginId, String from, String to, String reason, boolean failed, Instant at) {
        ObjectNode details = AuditEvent.newDetails();
        details.put("from", from);
        details.put("to", to);
        if (reason != null) {
            details.put("reason", reason);
        }
        String outcome = failed ? "failed" : "ok";
        onAudit(new AuditEvent("lifecycle", pluginId, AuditActor.current(), outcome, details, at));
    }

    /** A page of records. */
    public List<AuditRecord> query(AuditQuery query) {
        appender.awaitWritten(READ_WAIT);
        return reader.query(query);
    }

    /** Checks the whole chain. */
    public VerifyReport verify() {
        appender.awaitWritten(READ_WAIT);
        return reader.verify();
    }

    /**
     * Checks the whole chain and holds it against a head kept by the operator: a head not signed by this
     * host's key makes the answer invalid ({@code bad_signature}) without walking the trail.
     */
    public VerifyReport verify(AuditHead head) {
        if (!anchor.signedHere(head)) {
            return new VerifyReport(false, 0, null, new VerifyReport.AnchorCheck(head.records(), "bad_signature",
                    "the anchor was not signed by this host's audit key (or was changed)"));
        }
        appender.awaitWritten(READ_WAIT);
        return reader.verify(head);
    }

    /** The signed head of the chain now (everything queued before this call included). */
    public AuditHead head() {
        appender.awaitWritten(READ_WAIT);
        return writer.whileStill(() -> anchor.head(writer.lastSeq(), writer.lastHash(), Instant.now()));
    }

    /** The folder of the trail's files. */
    public AuditFiles files() {
        return files;
    }

    @PreDestroy
    void close() {
        appender.close();
        writer.close();
    }
}
