package io.logomesh.host.plugin;

import io.logomesh.host.container.docker.swarm.PluginSlot;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Cluster mode finds an upgrade's second version by the IPC folder the handle gives it. */
class UpgradeSlotNamesTest {

    @Test
    void shouldNameTheNextSlotsFolderAsTheHandleNamesTheUpgradesSecondIpcFolder() {
        assertThat(PluginSlot.NEXT_FOLDER_SUFFIX).isEqualTo(PluginHandle.NEXT_SUFFIX);
        assertThat(PluginHandle.ipcFolders("p1")).containsExactly(PluginSlot.first("p1").folderName(),
                new PluginSlot("p1", true).folderName());
    }
}
