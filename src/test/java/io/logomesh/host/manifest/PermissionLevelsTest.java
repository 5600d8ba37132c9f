package io.logomesh.host.manifest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.logomesh.host.manifest.PluginManifest.SecurityLevel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class PermissionLevelsTest {

    private static final ManifestValidator VALIDATOR = new ManifestValidator();

    @ParameterizedTest(name = "{0} may declare {1}: {2}")
    @CsvSource({
            "MINIMAL, network, false", "MINIMAL, filesystem, false", "MINIMAL, messaging:other, true",
            "MINIMAL, events:publish:a.*, true", "MINIMAL, resources:grant, true",
            "STANDARD, network, false", "STANDARD, filesystem, true", "STANDARD, events:subscribe:x, true",
            "ELEVATED, network, true", "ELEVATED, filesystem, true",
    })
    void shouldFollowTheTable(SecurityLevel level, String permission, boolean allowed) {
        assertThat(PermissionLevels.forbiddenToDeclare(level, permission).isEmpty()).isEqualTo(allowed);
    }

    @Test
    void shouldRefuseOnlyNetworkAndFilesystemToMinimalAtRunTime() {
        assertThat(PermissionLevels.forbiddenAtRunTime(SecurityLevel.MINIMAL, "network")).isPresent();
        assertThat(PermissionLevels.forbiddenAtRunTime(SecurityLevel.MINIMAL, "filesystem")).isPresent();
        assertThat(PermissionLevels.forbiddenAtRunTime(SecurityLevel.STANDARD, "network")).isEmpty();
        assertThat(PermissionLevels.forbiddenAtRunTime(SecurityLevel.MINIMAL, "messaging:x")).isEmpty();
    }

    @Test
    void shouldReportWhichPermissionTheLevelForbidsAtItsPointer() {
        ObjectNode m = ManifestFixtures.json("minimal.json");
        m.put("securityLevel", "minimal");
        m.putArray("permissions").add("messaging:other").add("network").add("filesystem");
        m.putObject("resourceRequirements").put("maxMemoryMB", 64).put("maxCpuPercent", 10)
                .put("maxExecutionTimeMs", 1000).put("networkAccess", true);
        assertThat(VALIDATOR.validate(m)).containsExactly(
                new ManifestViolation("/permissions/1",
                        "securityLevel minimal may not declare 'network' (needs elevated)"),
                new ManifestViolation("/permissions/2",
                        "securityLevel minimal may not declare 'filesystem' (needs standard)"),
                new ManifestViolation("/resourceRequirements/networkAccess",
                        "must not be true: securityLevel minimal may not declare 'network' (needs elevated)"));
    }

    @Test
    void shouldAcceptActionsAndAcceptMessagesFromAndReportABrokenPayloadSchema() {
        ObjectNode m = ManifestFixtures.json("minimal.json");
        m.putArray("acceptMessagesFrom").add("some-plugin");
        ObjectNode actions = m.putObject("actions");
        actions.putObject("ok").putObject("payload").put("type", "object");
        actions.putObject("bad").putObject("payload").put("type", 42);
        assertThat(VALIDATOR.validate(m)).extracting(ManifestViolation::path).containsExactly("/actions/bad/payload");
    }
}
