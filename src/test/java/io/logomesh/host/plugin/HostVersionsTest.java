package io.logomesh.host.plugin;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.logomesh.host.manifest.ManifestParser;
import io.logomesh.host.manifest.ManifestViolation;
import io.logomesh.host.manifest.PluginManifest;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** apiVersion / engineVersion against a host with API 1.4.0 and engine 2.1.0-SNAPSHOT. */
class HostVersionsTest {

    private static final HostVersions HOST = new HostVersions("1.4.0", "2.1.0-SNAPSHOT");

    private static PluginManifest manifest(String api, String engine) {
        ObjectNode m = new ObjectMapper().createObjectNode().put("id", "some-plugin").put("name", "x")
                .put("version", "1.0.0").put("runtime", "python").put("apiVersion", api).put("engineVersion", engine)
                .put("description", "d").put("author", "a").put("securityLevel", "minimal");
        m.putArray("permissions");
        m.putObject("capabilities").putArray("inputMethods").add("text");
        ((ObjectNode) m.get("capabilities")).putArray("outputMethods").add("text");
        return new ManifestParser().parse(m);
    }

    @ParameterizedTest
    @CsvSource({"1.0.0, 1.0.0", "1.4.0, 2.1.0", "1.4.0-beta, 2.0.5", "1.3.9, 0.1.0", "1.4.0+build, 2.1.0-rc.1"})
    void shouldAcceptCompatibleManifests(String api, String engine) {
        assertThat(HOST.incompatibilities(manifest(api, engine))).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "2.0.0 | 1.0.0 | /apiVersion | major versions differ",
            "0.9.0 | 1.0.0 | /apiVersion | major versions differ",
            "1.5.0 | 1.0.0 | /apiVersion | newer than this host's API 1.4.0",
            "1.4.1 | 1.0.0 | /apiVersion | newer than this host's API 1.4.0",
            "1.0.0 | 2.1.1 | /engineVersion | needs engine 2.1.1 but this host's engine is 2.1.0-SNAPSHOT",
            "1.0.0 | 3.0.0 | /engineVersion | needs engine 3.0.0"})
    void shouldRefuseIncompatibleManifestsWithTheReason(String api, String engine, String path, String reason) {
        List<ManifestViolation> violations = HOST.incompatibilities(manifest(api, engine));
        assertThat(violations).hasSize(1);
        assertThat(violations.get(0).path()).isEqualTo(path);
        assertThat(violations.get(0).message()).contains(reason);
    }
}
