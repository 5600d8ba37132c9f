package io.logomesh.host.permission;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The run-time form {@code network:<host-pattern>} keeps its prefix and one written form of the pattern. */
class NetworkPermissionFormTest {

    @Test
    void shouldWriteANetworkPatternInItsOneCanonicalFormAndKeepThePrefix() {
        assertThat(PermissionService.canonical("network:API.Example.com:443")).isEqualTo("network:api.example.com:443");
        assertThat(PermissionService.canonical("network:[FD00::1]:5432")).isEqualTo("network:[fd00:0:0:0:0:0:0:1]:5432");
        assertThat(PermissionService.canonical("network")).isEqualTo("network");
        assertThat(PermissionService.canonical("messaging:other")).isEqualTo("messaging:other");
        assertThat(PermissionService.canonical("network:bad")).isEqualTo("network:bad");
    }
}
