package io.logomesh.host.permission;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.logomesh.host.plugin.PluginStore;
import io.logomesh.host.support.TestDataFolders;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class ApprovedPermissionsTest {

    @Test
    void shouldKeepGrantsAcrossARestartInThePluginsStateFolder(@TempDir Path dir) throws IOException {
        PluginStore store = new PluginStore(TestDataFolders.at(dir), new ObjectMapper());
        Files.createDirectories(store.pluginDir("msg-keeper"));
        ApprovedPermissions before = new ApprovedPermissions(store, new ObjectMapper());
        assertThat(before.grant("msg-keeper", "network")).isTrue();
        assertThat(before.grant("msg-keeper", "network")).isFalse();
        before.grant("msg-keeper", "messaging:other");
        before.revoke("msg-keeper", "messaging:other");

        ApprovedPermissions after = new ApprovedPermissions(store, new ObjectMapper()); // a new host process
        assertThat(after.of("msg-keeper")).containsExactly("network");
        assertThat(after.has("msg-other", "network")).isFalse();
        assertThat(store.pluginDir("msg-keeper").resolve("permissions.json")).exists();
    }
}
