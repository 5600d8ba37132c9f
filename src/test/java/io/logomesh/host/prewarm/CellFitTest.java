package io.logomesh.host.prewarm;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.logomesh.host.manifest.ManifestParser;
import io.logomesh.host.manifest.PluginManifest;
import io.logomesh.host.manifest.PluginManifest.SecurityLevel;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

class CellFitTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static PluginManifest manifest(String fixture, Consumer<ObjectNode> change) throws Exception {
        ObjectNode raw = (ObjectNode) JSON.readTree(Files.readString(
                Path.of("src/test/resources/plugins", fixture, "manifest.json")));
        change.accept(raw);
        return new ManifestParser().parse(raw);
    }

    @Test
    void shouldLetAPlainPluginRunInACell() throws Exception {
        assertThat(CellFit.coldReason(manifest("echo-python", m -> { }), false, SecurityLevel.STANDARD)).isEmpty();
    }

    @Test
    void shouldSendFileSystemAccessCold() throws Exception {
        PluginManifest m = manifest("echo-python",
                raw -> ((ObjectNode) raw.get("resourceRequirements")).put("fileSystemAccess", true));
        assertThat(CellFit.coldReason(m, false, SecurityLevel.STANDARD)).contains(CellFit.FILESYSTEM);
        assertThat(CellFit.coldReason(manifest("echo-python", r -> { }), true, SecurityLevel.STANDARD))
                .contains(CellFit.FILESYSTEM);
    }

    @Test
    void shouldGiveANetworkGrantACellToo() throws Exception {
        PluginManifest m = manifest("echo-python",
                raw -> ((ObjectNode) raw.put("securityLevel", "elevated").get("resourceRequirements"))
                        .put("networkAccess", true));
        assertThat(CellFit.coldReason(m, false, SecurityLevel.STANDARD)).as("its egress socket moves to the cell")
                .isEmpty();
    }

    @Test
    void shouldSendANodePluginOfAnotherLevelCold() throws Exception {
        PluginManifest standard = manifest("echo-node", raw -> raw.put("securityLevel", "standard"));
        assertThat(CellFit.coldReason(standard, false, SecurityLevel.ELEVATED)).contains(CellFit.NODE_LEVEL);
        assertThat(CellFit.coldReason(standard, false, SecurityLevel.STANDARD)).isEmpty();
        PluginManifest python = manifest("echo-python", raw -> raw.put("securityLevel", "minimal"));
        assertThat(CellFit.coldReason(python, false, SecurityLevel.ELEVATED)).isEmpty();
    }
}
