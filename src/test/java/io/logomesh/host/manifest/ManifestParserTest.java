package io.logomesh.host.manifest;

import static io.logomesh.host.manifest.ManifestFixtures.bytes;
import static io.logomesh.host.manifest.ManifestFixtures.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.logomesh.host.manifest.PluginManifest.AuditLevel;
import io.logomesh.host.manifest.PluginManifest.Runtime;
import io.logomesh.host.manifest.PluginManifest.SecurityLevel;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ManifestParserTest {

    private static final ManifestParser PARSER = new ManifestParser(new ManifestValidator());

    @Test
    void shouldParseMinimalManifestWithDefaults() {
        PluginManifest manifest = PARSER.parse(bytes("minimal.json"));

        assertThat(manifest.id()).isEqualTo("hello-node");
        assertThat(manifest.name()).isEqualTo("Hello Node");
        assertThat(manifest.version()).isEqualTo(new SemVer(1, 0, 0));
        assertThat(manifest.description()).isEqualTo("Says hello.");
        assertThat(manifest.author()).isEqualTo("LogoMesh");
        assertThat(manifest.runtime()).isEqualTo(Runtime.NODEJS);
        assertThat(manifest.main()).isEqualTo("index.js");
        assertThat(manifest.capabilities().path("inputMethods").get(0).asText()).isEqualTo("text");
        assertThat(manifest.permissions()).isEmpty();
        assertThat(manifest.resources()).isEqualTo(new ResourceRequirements(128, 50.0, 30_000L, false, false))
                .isEqualTo(ResourceRequirements.DEFAULTS);
        assertThat(manifest.resources().maxConcurrencyFor(Runtime.NODEJS)).isEqualTo(16);
        assertThat(manifest.resources().maxConcurrencyFor(Runtime.PYTHON)).isEqualTo(8);
        assertThat(manifest.securityLevel()).isEqualTo(SecurityLevel.MINIMAL);
        assertThat(manifest.auditLevel()).isEqualTo(AuditLevel.BASIC);
        assertThat(manifest.dependencies()).isEmpty();
        assertThat(manifest.apiVersion()).isEqualTo("1.0.0");
        assertThat(manifest.engineVersion()).isEqualTo("1.0.0");
        assertThat(manifest.config().isEmpty()).isTrue();
        assertThat(manifest.raw()).isEqualTo(json("minimal.json"));
    }

    @Test
    void shouldParseFullManifest() {
        PluginManifest manifest = PARSER.parse(json("full.json"));

        assertThat(manifest.version()).hasToString("2.3.1-beta");
        assertThat(manifest.runtime()).isEqualTo(Runtime.PYTHON);
        assertThat(manifest.main()).isEqualTo("src/analyzer.py");
        assertThat(manifest.permissions()).containsExactly("network", "filesystem", "messaging:hello-node",
                "events:publish:analysis.done", "events:subscribe:text.*", "resources:grant");
        assertThat(manifest.hasPermission("network")).isTrue();
        assertThat(manifest.hasPermission("messaging:other")).isFalse();
        assertThat(manifest.resources()).isEqualTo(new ResourceRequirements(256, 75.5, 60_000L, true, true, 512, 100.0, 4));
        assertThat(manifest.resources().maxConcurrencyFor(Runtime.NODEJS)).isEqualTo(4);
        assertThat(manifest.securityLevel()).isEqualTo(SecurityLevel.ELEVATED);
        assertThat(manifest.auditLevel()).isEqualTo(AuditLevel.COMPREHENSIVE);
        assertThat(manifest.dependencies()).extracting(PluginDependency::id).containsExactly("hello-node", "tokenizer");
        assertThat(manifest.dependencies().get(0).isSatisfiedBy(SemVer.parse("1.4.0"))).isTrue();
        assertThat(manifest.dependencies().get(1).isSatisfiedBy(SemVer.parse("0.6.0"))).isFalse();
        assertThat(manifest.dependencies().get(1).isSatisfiedBy(SemVer.parse("1.6.0"))).isTrue();
        assertThat(manifest.apiVersion()).isEqualTo("1.2.0");
        assertThat(manifest.engineVersion()).isEqualTo("2.0.0-rc.1+build.7");
        assertThat(manifest.config().path("language").asText()).isEqualTo("en");
        assertThat(manifest.raw().at("/sandboxConfig/tmpfsMB").asInt()).isEqualTo(16);
    }

    @ParameterizedTest
    @CsvSource({"nodejs, index.js", "python, main.py", "webassembly, plugin.wasm"})
    void shouldDefaultMainPerRuntime(String runtime, String main) {
        PluginManifest manifest = PARSER.parse(json("minimal.json").put("runtime", runtime));
        assertThat(manifest.runtime().wireName()).isEqualTo(runtime);
        assertThat(manifest.main()).isEqualTo(main).isEqualTo(manifest.runtime().defaultMain());
    }

    @Test
    void shouldNotBeChangedByLaterEditsOfTheInput() {
        var input = json("full.json");
        PluginManifest manifest = PARSER.parse(input);
        input.put("name", "changed");
        ((com.fasterxml.jackson.databind.node.ObjectNode) input.get("config")).put("language", "de");
        assertThat(manifest.raw().path("name").asText()).isEqualTo("Text Analyzer");
        assertThat(manifest.config().path("language").asText()).isEqualTo("en");
    }

    @Test
    void shouldThrowEveryViolationTogether() {
        ManifestInvalidException e = catchThrowableOfType(ManifestInvalidException.class,
                () -> PARSER.parse(bytes("many-violations.json")));

        assertThat(e.code()).isEqualTo("manifest_invalid");
        assertThat(e.violations()).hasSize(12);
        assertThat(e).hasMessage("manifest has 12 violations");
    }

    @Test
    void shouldNameTheSingleViolationInTheMessage() {
        assertThatThrownBy(() -> PARSER.parse(bytes("unknown-key.json")))
                .isInstanceOf(ManifestInvalidException.class)
                .hasMessageStartingWith("manifest has 1 violation: /resourceRequirement is not a known property");
    }

    @Test
    void shouldReportBadJsonAtTheRootWithLineAndColumn() {
        ManifestInvalidException e = catchThrowableOfType(ManifestInvalidException.class,
                () -> PARSER.parse(bytes("bad-json.json")));

        assertThat(e.violations()).singleElement().satisfies(v -> {
            assertThat(v.path()).isEqualTo("/");
            assertThat(v.message()).startsWith("manifest is not valid JSON: ").contains("line 4, column")
                    .doesNotContain("com.fasterxml", "Exception", "Source");
        });
    }

    @Test
    void shouldReportTruncatedJsonWithoutInternals() {
        ManifestInvalidException e = catchThrowableOfType(ManifestInvalidException.class,
                () -> PARSER.parse("{\"id\": \"abc\",".getBytes(StandardCharsets.UTF_8)));
        assertThat(e.violations()).singleElement().extracting(ManifestViolation::message).asString()
                .startsWith("manifest is not valid JSON: ").doesNotContain("Source", "REDACTED", "marker");
    }

    @Test
    void shouldRejectDuplicateKeysAndTrailingContent() {
        assertThatThrownBy(() -> PARSER.parse("{\"id\": \"a\", \"id\": \"b\"}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(ManifestInvalidException.class).hasMessageContaining("Duplicate field 'id'");
        assertThatThrownBy(() -> PARSER.parse("{} {}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(ManifestInvalidException.class).hasMessageContaining("not valid JSON");
    }

    @Test
    void shouldRejectEmptyAndOversizedInput() {
        assertThatThrownBy(() -> PARSER.parse(new byte[0])).hasMessageContaining("manifest is empty");
        assertThatThrownBy(() -> PARSER.parse("   ".getBytes(StandardCharsets.UTF_8))).hasMessageContaining("manifest is empty");
        byte[] huge = new byte[ManifestParser.MAX_MANIFEST_BYTES + 1];
        assertThatThrownBy(() -> PARSER.parse(huge)).hasMessageContaining("larger than 256 KiB");
        assertThatThrownBy(() -> PARSER.parse((JsonNode) null)).isInstanceOf(ManifestInvalidException.class);
    }

    @Test
    void shouldSerializeToJsonWithWireNames() throws Exception {
        ObjectMapper json = new ObjectMapper();
        PluginManifest manifest = PARSER.parse(json("full.json"));

        JsonNode out = json.readTree(json.writeValueAsString(manifest));

        assertThat(out.path("id").asText()).isEqualTo("text-analyzer");
        assertThat(out.path("version").asText()).isEqualTo("2.3.1-beta");
        assertThat(out.path("runtime").asText()).isEqualTo("python");
        assertThat(out.path("securityLevel").asText()).isEqualTo("elevated");
        assertThat(out.path("auditLevel").asText()).isEqualTo("comprehensive");
        assertThat(out.at("/resourceRequirements/maxMemoryMB").asInt()).isEqualTo(256);
        assertThat(out.at("/dependencies/0/version").asText()).isEqualTo("^1.0.0");
        assertThat(out.at("/raw/sandboxConfig/tmpfsMB").asInt()).isEqualTo(16);
    }

    @Test
    void shouldReadEnumsFromTheirWireNames() {
        assertThat(Runtime.fromWireName("webassembly")).isEqualTo(Runtime.WEBASSEMBLY);
        assertThat(SecurityLevel.fromWireName("standard")).isEqualTo(SecurityLevel.STANDARD);
        assertThat(AuditLevel.fromWireName("detailed")).isEqualTo(AuditLevel.DETAILED);
        assertThat(SecurityLevel.STANDARD.wireName()).isEqualTo("standard");
        assertThatThrownBy(() -> Runtime.fromWireName("java")).isInstanceOf(IllegalArgumentException.class);
    }
}
