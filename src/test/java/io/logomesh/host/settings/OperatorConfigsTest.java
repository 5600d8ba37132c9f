package io.logomesh.host.settings;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.logomesh.host.manifest.ManifestInvalidException;
import io.logomesh.host.manifest.ManifestParser;
import io.logomesh.host.manifest.ManifestViolation;
import io.logomesh.host.manifest.PluginManifest;
import io.logomesh.host.support.TestDataFolders;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OperatorConfigsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ManifestParser PARSER = new ManifestParser();

    @TempDir
    Path dir;

    private static JsonNode json(String text) throws Exception {
        return JSON.readTree(text);
    }

    private static PluginManifest manifest(String config, String schema) throws Exception {
        ObjectNode m = (ObjectNode) JSON.readTree(Path.of("src/test/resources/plugins/echo-node/manifest.json").toFile());
        m.set("config", json(config));
        if (schema != null) {
            m.set("configSchema", json(schema));
        }
        return PARSER.parse(m);
    }

    @Test
    void shouldMergeOperatorValuesOverTheBundlesKeyByKey() throws Exception {
        ObjectNode merged = OperatorConfigs.merge((ObjectNode) json("{\"a\":1,\"o\":{\"x\":1,\"y\":2},\"gone\":true}"),
                (ObjectNode) json("{\"o\":{\"y\":3,\"z\":4},\"b\":[1],\"gone\":null}"));
        assertThat(merged).isEqualTo(json("{\"a\":1,\"o\":{\"x\":1,\"y\":3,\"z\":4},\"b\":[1]}"));
    }

    @Test
    void shouldListEveryViolationAtItsConfigPath() throws Exception {
        PluginManifest m = manifest("{\"name\":\"n\"}", """
                {"type":"object","required":["name"],"additionalProperties":false,
                 "properties":{"name":{"type":"string"},"port":{"type":"integer","maximum":65535}}}""");
        OperatorConfigs configs = new OperatorConfigs(TestDataFolders.at(dir), JSON);

        assertThatThrownBy(() -> configs.put(m, json("{\"port\":70000,\"name\":1,\"x\":0}")))
                .isInstanceOfSatisfying(ConfigInvalidException.class, e -> {
                    assertThat(e.code()).isEqualTo("config_invalid");
                    assertThat(e.violations()).extracting(ManifestViolation::path)
                            .contains("/config/port", "/config/name").hasSize(3);
                });
        assertThat(Files.exists(dir.resolve("plugins").resolve(m.id()).resolve("operator-config.json"))).isFalse();

        assertThat(configs.put(m, json("{\"port\":8080}"))).isEqualTo(json("{\"name\":\"n\",\"port\":8080}"));
        assertThat(configs.effective(m)).isEqualTo(json("{\"name\":\"n\",\"port\":8080}"));
        assertThat(configs.operatorValues(m.id())).isEqualTo(json("{\"port\":8080}"));
    }

    @Test
    void shouldRefuseWhatIsNotAnObjectOrTooLarge() throws Exception {
        PluginManifest m = manifest("{}", null);
        OperatorConfigs configs = new OperatorConfigs(TestDataFolders.at(dir), JSON);
        assertThatThrownBy(() -> configs.check(m, json("[1]"))).isInstanceOf(ConfigInvalidException.class);
        ObjectNode big = JSON.createObjectNode().put("blob", "x".repeat(OperatorConfigs.MAX_BYTES));
        assertThatThrownBy(() -> configs.check(m, big)).hasMessageContaining("at most " + OperatorConfigs.MAX_BYTES);
    }

    @Test
    void shouldRefuseAConfigSchemaThatIsNoSchemaAtInstall() throws Exception {
        assertThatThrownBy(() -> manifest("{}", "{\"type\": 12}")).isInstanceOfSatisfying(ManifestInvalidException.class,
                e -> assertThat(e.violations()).extracting(ManifestViolation::path).contains("/configSchema"));
        assertThatThrownBy(() -> manifest("{}", "{\"$ref\": \"http://example.invalid/s.json\"}"))
                .isInstanceOf(ManifestInvalidException.class);
    }
}
