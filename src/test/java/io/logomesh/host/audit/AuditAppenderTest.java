package io.logomesh.host.audit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The writer thread: callers only queue; a full queue counts and summarises instead of blocking. */
class AuditAppenderTest {

    @TempDir
    Path dir;

    private AuditWriter writer;
    private AuditReader reader;
    private AuditAppender appender;

    private void open(long maxQueuedBytes, Duration tick) {
        AuditFiles files = new AuditFiles(dir);
        writer = new AuditWriter(files, 1 << 20, false);
        reader = new AuditReader(files, writer::whileStill);
        appender = new AuditAppender(writer, new AuditRetention(files, Long.MAX_VALUE, Duration.ofDays(1),
                Clock.systemUTC()), new RefusalLimiter(1, 1, tick.toNanos()), maxQueuedBytes, tick);
    }

    @AfterEach
    void close() {
        if (appender != null) {
            appender.close();
            writer.close();
        }
    }

    private static AuditEvent event(int i) {
        return AuditEvent.of("action", "p", "operator", "ok", AuditEvent.newDetails().put("n", i));
    }

    @Test
    void shouldWriteEverythingQueuedBeforeAReadInOrder() {
        open(1 << 20, Duration.ofSeconds(30));
        for (int i = 0; i < 500; i++) {
            assertThat(appender.offer(event(i), 100)).isTrue();
        }
        appender.awaitWritten(Duration.ofSeconds(10));
        assertThat(appender.backlog()).isZero();
        List<AuditRecord> records = reader.query(new AuditQuery(null, null, null, null, 1000, 0));
        assertThat(records).hasSize(500);
        assertThat(records.get(499).details().get("n").asInt()).isEqualTo(499);
        assertThat(reader.verify().valid()).isTrue();
    }

    @Test
    void shouldCountWhatAFullQueueRefusesAndSayHowManyWereLost() {
        open(1000, Duration.ofMillis(200));
        int refused = writer.whileStill(() -> { // the writer thread is held up meanwhile, like a slow disk
            int n = 0;
            for (int i = 0; i < 2000; i++) {
                n += appender.offer(event(i), 600) ? 0 : 1;
            }
            return n;
        });
        assertThat(refused).as("the queue holds one record of 600 bytes at a time").isGreaterThanOrEqualTo(1997);
        appender.close();
        List<AuditRecord> records = reader.query(new AuditQuery(null, null, null, null, 1000, 0));
        long written = records.stream().filter(r -> r.type().equals("action")).count();
        AuditRecord dropped = records.stream().filter(r -> r.outcome().equals("dropped")).findFirst().orElseThrow();
        long lost = records.stream().filter(r -> r.outcome().equals("dropped"))
                .mapToLong(r -> r.details().get("dropped").asLong()).sum();
        assertThat(dropped.details().get("recordType").asText()).isEqualTo("action");
        assertThat(lost).isEqualTo(refused);
        assertThat(written + lost).isEqualTo(2000);
        assertThat(reader.verify().valid()).isTrue();
    }
}
