package io.logomesh.host.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.logomesh.host.manifest.ManifestInvalidException;
import io.logomesh.host.manifest.ManifestParser;
import io.logomesh.host.manifest.ManifestValidator;
import io.logomesh.host.manifest.ManifestViolation;
import io.logomesh.host.manifest.PayloadSchema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Random JSON, mutations of a valid manifest and hostile payload schemas against the parser and
 * validator: every outcome is a manifest or a {@link ManifestInvalidException} whose violations name
 * a JSON Pointer; nothing else is thrown; no schema makes the host connect anywhere (a listener of
 * the test's own on 127.0.0.1 is offered in every hostile reference); checking a payload never throws.
 */
class ManifestFuzzTest {

    private static final ManifestParser PARSER = new ManifestParser(new ManifestValidator());

    private ServerSocket listener;
    private final AtomicInteger connections = new AtomicInteger();

    @BeforeEach
    void listen() throws IOException {
        listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().start(() -> {
            while (!listener.isClosed()) {
                try (Socket ignored = listener.accept()) {
                    connections.incrementAndGet();
                } catch (IOException e) {
                    return;
                }
            }
        });
    }

    @AfterEach
    void close() throws IOException {
        listener.close();
    }

    @Test
    void shouldAnswerEveryManifestWithAManifestOrViolations() {
        ObjectNode valid = BundleFuzzTest.minimalManifest();
        String local = "http://127.0.0.1:" + listener.getLocalPort() + "/s.json";
        int ran = Fuzz.run("manifests", 3000, Duration.ofSeconds(10), r -> {
            JsonNode manifest = switch (r.nextInt(4)) {
                case 0 -> JsonMutants.value(r, 0);
                case 1 -> {
                    ObjectNode m = valid.deepCopy();
                    m.putObject("actions").putObject("go").set("payload",
                            JsonMutants.JSON.readTree("{\"properties\":{\"a\":{\"$ref\":\"" + local + "\"}}}"));
                    yield JsonMutants.mutate(r, m);
                }
                default -> JsonMutants.mutate(r, valid);
            };
            parse(JsonMutants.JSON.writeValueAsBytes(manifest));
            if (r.nextInt(4) == 0) {
                parse(Mutants.mutate(r, JsonMutants.JSON.writeValueAsBytes(manifest)));
            }
        });
        assertThat(ran).isPositive();
        assertThat(connections).hasValue(0);
    }

    @Test
    void shouldCheckEveryPayloadWithoutThrowing() {
        int ran = Fuzz.run("payloads", 3000, Duration.ofSeconds(8), r -> {
            PayloadSchema schema;
            try {
                schema = PayloadSchema.of(JsonMutants.hostileSchema(r, 0), "/actions/x/payload");
            } catch (ManifestInvalidException e) {
                assertPointers(e.violations());
                return;
            }
            for (int i = 0; i < 5; i++) {
                List<ManifestViolation> found = schema.violations(JsonMutants.value(r, 0));
                assertPointers(found);
            }
        });
        assertThat(ran).isPositive();
        assertThat(connections).hasValue(0);
    }

    private static void parse(byte[] bytes) {
        try {
            PARSER.parse(bytes);
        } catch (ManifestInvalidException e) {
            assertThat(e.violations()).isNotEmpty();
            assertPointers(e.violations());
        }
    }

    private static void assertPointers(List<ManifestViolation> violations) {
        for (ManifestViolation v : violations) {
            assertThat(v.path()).startsWith("/");
            assertThat(v.message()).isNotBlank().doesNotContain("Exception").doesNotContain("com.networknt");
        }
    }

}
