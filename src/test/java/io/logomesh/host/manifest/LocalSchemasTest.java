package io.logomesh.host.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Schemas in manifests resolve nothing outside the bundle: every remote or file reference is
 * refused at its JSON Pointer, and a listener of the test's own on 127.0.0.1 sees no connection.
 */
class LocalSchemasTest {

    private final ManifestValidator validator = new ManifestValidator();
    private ServerSocket listener;
    private final AtomicInteger connections = new AtomicInteger();
    private String base;

    @BeforeEach
    void listen() throws IOException {
        listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        base = "http://127.0.0.1:" + listener.getLocalPort();
        Thread.ofVirtual().start(() -> {
            while (!listener.isClosed()) {
                try (Socket ignored = listener.accept()) {
                    connections.incrementAndGet();
                } catch (SocketException closed) {
                    return;
                } catch (IOException e) {
                    connections.incrementAndGet();
                }
            }
        });
    }

    @AfterEach
    void close() throws IOException {
        listener.close();
    }

    private ObjectNode withPayload(String schema) {
        ObjectNode manifest = ManifestFixtures.json("minimal.json");
        manifest.putObject("actions").putObject("echo").set("payload", ManifestFixtures.parseJson(schema));
        return manifest;
    }

    private List<ManifestViolation> violations(String schema) {
        return validator.validate(withPayload(schema));
    }

    @Test
    void shouldRefuseRemoteAndFileReferencesAtTheirPointerWithoutConnecting() {
        String port = String.valueOf(listener.getLocalPort());
        List<String> refs = List.of(base + "/schema.json", "https://127.0.0.1:" + port + "/s.json",
                "ftp://127.0.0.1:" + port + "/s.json", "jar:" + base + "/x.jar!/s.json", "file:/etc/passwd",
                "file:///etc/hostname", "other.json", "//127.0.0.1:" + port + "/s", "classpath:application.properties");
        for (String ref : refs) {
            assertThat(violations("{\"type\":\"object\",\"properties\":{\"a\":{\"$ref\":\"" + ref + "\"}}}"))
                    .as(ref).extracting(ManifestViolation::path)
                    .containsExactly("/actions/echo/payload/properties/a/$ref");
        }
        assertThat(violations("{\"definitions\":{\"x\":{\"items\":[{\"$dynamicRef\":\"" + base + "/d\"}]}}}"))
                .extracting(ManifestViolation::path).containsExactly("/actions/echo/payload/definitions/x/items/0/$dynamicRef");
        assertThat(connections).hasValue(0);
    }

    @Test
    void shouldRefuseAForeignMetaSchemaWithoutConnecting() {
        assertThat(violations("{\"$schema\":\"" + base + "/meta\",\"type\":\"object\"}"))
                .extracting(ManifestViolation::path).containsExactly("/actions/echo/payload/$schema");
        assertThat(connections).hasValue(0);
    }

    @Test
    void shouldLoadNothingEvenWhenThePreCheckIsBypassed() {
        for (String schema : List.of("{\"$ref\":\"" + base + "/s.json\"}",
                "{\"$schema\":\"" + base + "/meta\"}",
                "{\"$id\":\"" + base + "/root\",\"properties\":{\"a\":{\"$ref\":\"sibling.json\"}}}",
                "{\"$ref\":\"file:/etc/passwd\"}")) {
            assertThatThrownBy(() -> LocalSchemas.compile(ManifestFixtures.parseJson(schema)).validate(
                    ManifestFixtures.parseJson("{\"a\":1}"))).as(schema).isInstanceOf(RuntimeException.class);
        }
        assertThat(connections).hasValue(0);
    }

    @Test
    void shouldIgnoreTheManifestsOwnSchemaReference() {
        ObjectNode manifest = ManifestFixtures.json("minimal.json");
        manifest.put("$schema", base + "/manifest.schema.json");
        assertThat(validator.validate(manifest)).isEmpty();
        assertThat(connections).hasValue(0);
    }

    @Test
    void shouldKeepInternalReferencesWorking() {
        String schema = "{\"type\":\"object\",\"required\":[\"n\"],\"properties\":{\"n\":{\"$ref\":\"#/definitions/small\"}},"
                + "\"definitions\":{\"small\":{\"type\":\"integer\",\"maximum\":9}}}";
        assertThat(violations(schema)).isEmpty();
        PayloadSchema compiled = PayloadSchema.of(ManifestFixtures.parseJson(schema), "/p");
        assertThat(compiled.violations(ManifestFixtures.parseJson("{\"n\":3}"))).isEmpty();
        assertThat(compiled.violations(ManifestFixtures.parseJson("{\"n\":30}")))
                .extracting(ManifestViolation::path).containsExactly("/n");
        assertThat(violations("{\"$schema\":\"http://json-schema.org/draft-07/schema#\",\"type\":\"string\"}")).isEmpty();
        assertThat(connections).hasValue(0);
    }

    @Test
    void shouldBoundSchemaDepthSizeAndPatternLength() {
        String deep = "{\"not\":".repeat(LocalSchemas.MAX_DEPTH + 2) + "{}" + "}".repeat(LocalSchemas.MAX_DEPTH + 2);
        assertThat(violations(deep)).singleElement().satisfies(v -> assertThat(v.message()).contains("deeper"));
        StringBuilder wide = new StringBuilder("{\"properties\":{");
        for (int i = 0; i < LocalSchemas.MAX_NODES; i++) {
            wide.append(i == 0 ? "" : ",").append("\"p").append(i).append("\":{}");
        }
        assertThat(violations(wide.append("}}").toString())).extracting(ManifestViolation::message)
                .anySatisfy(m -> assertThat(m).contains("more than " + LocalSchemas.MAX_NODES));
        String longPattern = "a".repeat(BoundedRegex.MAX_PATTERN_LENGTH + 1);
        assertThat(violations("{\"type\":\"string\",\"pattern\":\"" + longPattern + "\"}"))
                .extracting(ManifestViolation::path).containsExactly("/actions/echo/payload/pattern");
        assertThat(violations("{\"patternProperties\":{\"" + longPattern + "\":{}}}"))
                .extracting(ManifestViolation::path).containsExactly("/actions/echo/payload/patternProperties");
    }

    @Test
    void shouldStopACatastrophicPatternAndReportIt() {
        PayloadSchema schema = PayloadSchema.of(ManifestFixtures.parseJson(
                "{\"type\":\"string\",\"pattern\":\"^(a+)+\\\\1$\"}"), "/p"); // a back-reference: no memoising
        JsonNode evil = ManifestFixtures.parseJson("\"" + "a".repeat(60) + "!\"");
        assertThat(schema.violations(evil)).singleElement()
                .satisfies(v -> assertThat(v.message()).contains("steps"));
        assertThat(schema.violations(ManifestFixtures.parseJson("\"aaaa\""))).isEmpty();
        assertThat(schema.violations(ManifestFixtures.parseJson("\"a\""))).hasSize(1);
    }
}
