package io.logomesh.host.manifest;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code resourceRequirements.allowedHosts}: each bad entry explained at its index; never at minimal. */
class PermissionLevelsAllowedHostsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void shouldExplainEachBadAllowedHostAtItsIndex() {
        ArrayNode hosts = JSON.createArrayNode().add("api.example.com:443").add("api.example.com").add("a.*.b.com:1");

        assertThat(DeclarationChecks.allowedHostsViolations(hosts, PluginManifest.SecurityLevel.ELEVATED))
                .extracting(ManifestViolation::path).containsExactly("/resourceRequirements/allowedHosts/1",
                        "/resourceRequirements/allowedHosts/2");
        assertThat(DeclarationChecks.allowedHostsViolations(hosts, PluginManifest.SecurityLevel.ELEVATED).get(0).message())
                .contains("has no port");
    }

    @Test
    void shouldRefuseAnAllowListAtMinimalWhichNeverHoldsNetwork() {
        ArrayNode hosts = JSON.createArrayNode().add("api.example.com:443");

        assertThat(DeclarationChecks.allowedHostsViolations(hosts, PluginManifest.SecurityLevel.MINIMAL))
                .extracting(ManifestViolation::message).singleElement().asString().contains("may never hold 'network'");
        assertThat(DeclarationChecks.allowedHostsViolations(hosts, PluginManifest.SecurityLevel.STANDARD)).isEmpty();
    }

    @Test
    void shouldAcceptTheRunTimeNetworkPatternFormAndRefuseItAtMinimal() {
        assertThat(PermissionLevels.isRunTimePermission("network:api.example.com:443")).isTrue();
        assertThat(PermissionLevels.isRunTimePermission("network:api.example.com")).isFalse();
        assertThat(PermissionLevels.isPermission("network:api.example.com:443")).as("not a manifest permission").isFalse();
        assertThat(PermissionLevels.forbiddenAtRunTime(PluginManifest.SecurityLevel.MINIMAL, "network:a.example.com:443"))
                .isPresent();
        assertThat(PermissionLevels.forbiddenAtRunTime(PluginManifest.SecurityLevel.STANDARD, "network:a.example.com:443"))
                .isEmpty();
    }
}
