package io.logomesh.host.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** The streamed forms are byte for byte the tree-based ones the trail has always been hashed and stored in. */
class AuditRecordJsonTest {

    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final String[] KEYS = {"a", "B", "b", "é", "ä", "Z", "zz", "_", "1", "10", "2", "", "\u00ff", "\uD83D\uDE00",
        "actionType", "actionId", "durationMs", "caller"};

    @Test
    void shouldWriteTheSameCanonicalBytesAndLinesAsTheJsonTreesForRandomRecords() {
        long seed = Long.getLong("fuzz.seed", System.nanoTime());
        Random r = new Random(seed);
        for (int i = 0; i < 2000; i++) {
            AuditRecord unhashed = new AuditRecord(1 + r.nextInt(1_000_000), "2026-12-02T05:0" + r.nextInt(10) + ":00Z",
                    pick(r, "action", "lifecycle", null), pick(r, "hello-node", null, "x\"y\\z\n"),
                    pick(r, "operator", "plugin:a", null), pick(r, "ok", "busy", null),
                    r.nextInt(10) == 0 ? null : object(r, 0), AuditHashing.GENESIS, null);
            byte[] tree = AuditHashing.canonical(treeWithoutHash(unhashed));
            assertThat(new String(AuditRecordJson.canonicalUnhashed(unhashed), StandardCharsets.UTF_8))
                    .as("seed %d, record %d", seed, i).isEqualTo(new String(tree, StandardCharsets.UTF_8));
            AuditRecord hashed = AuditRecord.next(unhashed.seq(), unhashed.prevHash(),
                    new AuditEvent(unhashed.type(), unhashed.pluginId(), unhashed.actor(), unhashed.outcome(),
                            unhashed.details(), Instant.parse(unhashed.timestamp())));
            assertThat(hashed.hash()).as("seed %d", seed).isEqualTo(AuditHashing.hashOf(hashed.toJson()));
            byte[] line = AuditRecordJson.line(hashed);
            assertThat(new String(line, StandardCharsets.UTF_8))
                    .isEqualTo(new String(AuditHashing.bytes(hashed.toJson()), StandardCharsets.UTF_8) + "\n");
        }
    }

    private static ObjectNode treeWithoutHash(AuditRecord r) {
        ObjectNode o = r.toJson();
        o.remove("hash");
        return o;
    }

    private static String pick(Random r, String... options) {
        return options[r.nextInt(options.length)];
    }

    private static ObjectNode object(Random r, int depth) {
        ObjectNode o = F.objectNode();
        int n = r.nextInt(depth == 0 ? 8 : 4);
        for (int i = 0; i < n; i++) {
            o.set(KEYS[r.nextInt(KEYS.length)] + (r.nextBoolean() ? "" : String.valueOf(r.nextInt(3))), value(r, depth + 1));
        }
        return o;
    }

    private static JsonNode value(Random r, int depth) {
        return switch (r.nextInt(depth > 3 ? 7 : 9)) {
            case 0 -> F.textNode("t" + r.nextInt() + (r.nextBoolean() ? "\u0000\t\"é" : ""));
            case 1 -> F.numberNode(r.nextInt());
            case 2 -> F.numberNode(r.nextLong());
            case 3 -> F.numberNode(r.nextDouble() * 1e6);
            case 4 -> F.booleanNode(r.nextBoolean());
            case 5 -> F.nullNode();
            case 6 -> F.numberNode(new BigDecimal("1.50"));
            case 7 -> object(r, depth);
            default -> {
                ArrayNode a = F.arrayNode();
                for (int i = r.nextInt(4); i > 0; i--) {
                    a.add(value(r, depth + 1));
                }
                yield a;
            }
        };
    }
}
