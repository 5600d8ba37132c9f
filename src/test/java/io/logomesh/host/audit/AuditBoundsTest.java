package io.logomesh.host.audit;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Every record's fields are cut with a visible marker and a whole record has a ceiling. */
class AuditBoundsTest {

    private final AuditBounds bounds = new AuditBounds(256, 2048, 16384);

    @Test
    void shouldCutAHugeTargetAndReasonWithAVisibleMarker() {
        String target = "a".repeat(900_000);
        ObjectNode d = AuditEvent.newDetails().put("to", target).put("reason", "no plugin '" + target + "' is installed");
        AuditBounds.Bounded b = bounds.bound(AuditEvent.of("message", "p", "plugin:p", "failed", d));

        String to = b.event().details().get("to").asText();
        assertThat(to).startsWith("a".repeat(256)).endsWith("…[cut 899744 chars]");
        assertThat(b.event().details().get("reason").asText()).hasSizeLessThan(2100).contains("…[cut ");
        assertThat(AuditHashing.bytes(b.event().details()).length).isEqualTo(b.detailsBytes()).isLessThan(3000);
    }

    @Test
    void shouldCutTheRecordsOwnFieldsAndFieldNames() {
        String huge = "x".repeat(10_000);
        ObjectNode d = AuditEvent.newDetails().put(huge, 1);
        AuditEvent e = AuditEvent.of(huge, huge, huge, huge, d);
        AuditEvent b = bounds.bound(e).event();
        assertThat(b.type()).hasSize(256 + "…[cut 9744 chars]".length());
        assertThat(b.pluginId()).endsWith("…[cut 9744 chars]");
        assertThat(b.actor()).endsWith("…[cut 9744 chars]");
        assertThat(b.outcome()).endsWith("…[cut 9744 chars]");
        assertThat(b.details().fieldNames().next()).endsWith("…[cut 9744 chars]");
    }

    @Test
    void shouldKeepTheFirstItemsOfLongArraysAndStopDeepNesting() {
        ObjectNode d = AuditEvent.newDetails();
        ArrayNode many = d.putArray("receivers");
        for (int i = 0; i < 500; i++) {
            many.add("r" + i);
        }
        ObjectNode deep = d.putObject("deep");
        for (int i = 0; i < 20; i++) {
            deep = deep.putObject("n");
        }
        ObjectNode b = bounds.bound(AuditEvent.of("event", "p", "plugin:p", "delivered", d)).event().details();
        assertThat(b.get("receivers")).hasSize(AuditBounds.MAX_ITEMS + 1);
        assertThat(b.get("receivers").get(AuditBounds.MAX_ITEMS).asText()).isEqualTo("…[cut 400 items]");
        assertThat(b.toString()).contains("…[cut: nested deeper than 8]");
    }

    @Test
    void shouldReplaceDetailsThatStayAboveTheCeilingWithANote() {
        ObjectNode d = AuditEvent.newDetails();
        for (int i = 0; i < 40; i++) {
            d.put("k" + i, "v".repeat(2000));
        }
        AuditBounds.Bounded b = bounds.bound(AuditEvent.of("plugin", "p", "plugin:p", "ok", d));
        assertThat(b.detailsBytes()).isLessThanOrEqualTo(16384);
        // the second pass (strings at the id length) already fits: 40 x ~290 bytes
        assertThat(b.event().details().get("k0").asText()).endsWith("…[cut 1744 chars]");

        ObjectNode wide = AuditEvent.newDetails();
        for (int i = 0; i < 100; i++) {
            ArrayNode a = wide.putArray("k" + i);
            for (int j = 0; j < 100; j++) {
                a.add("v".repeat(100));
            }
        }
        AuditBounds.Bounded note = bounds.bound(AuditEvent.of("plugin", "p", "plugin:p", "ok", wide));
        assertThat(note.event().details().get("cut").asText()).contains("16384");
        assertThat(note.event().details().get("detailsBytes").asInt()).isGreaterThan(1_000_000);
        assertThat(note.estimatedBytes()).isLessThan(16384);
    }

    @Test
    void shouldLeaveSmallRecordsAlone() {
        ObjectNode d = AuditEvent.newDetails().put("actionType", "echo").put("durationMs", 3).put("error", "boom");
        AuditEvent e = AuditEvent.of("action", "p", "operator", "ok", d);
        AuditEvent b = bounds.bound(e).event();
        assertThat(b.details()).isEqualTo(d);
        assertThat(b.at()).isEqualTo(e.at());
        assertThat(AuditText.cut("short", 10)).isEqualTo("short");
        assertThat(AuditText.cut(null, 10)).isNull();
        String once = AuditText.cut("b".repeat(1000), 256);
        assertThat(AuditText.cut(once, 256)).as("a producer's cut keeps its count").isEqualTo(once);
        assertThat(AuditText.cut(once, 100)).endsWith("…[cut " + (once.length() - 100) + " chars]");
        assertThat(AuditText.cut("\uD83D\uDE00\uD83D\uDE00", 3)).isEqualTo("\uD83D\uDE00…[cut 2 chars]");
    }
}
