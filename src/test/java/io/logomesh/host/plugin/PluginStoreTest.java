package io.logomesh.host.plugin;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.logomesh.host.config.DataFolder;
import io.logomesh.host.support.TestDataFolders;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class PluginStoreTest {

    private final ObjectMapper mapper = new ObjectMapper().registerModule(new JavaTimeModule());

    @Test
    void shouldSaveAndLoadRecordsAndSkipWhatIsBroken(@TempDir Path dir) throws IOException {
        DataFolder data = TestDataFolders.at(dir);
        PluginStore store = new PluginStore(data, mapper);
        Instant now = Instant.parse("2026-01-02T03:04:05Z");
        store.save(new PluginRecord("good-one", PluginState.ACTIVE, null, 20001, now, now));
        Files.createDirectories(store.pluginDir("no-record"));
        Files.createDirectories(store.pluginDir("bad-record"));
        Files.writeString(store.pluginDir("bad-record").resolve("state.json"), "{not json");
        Path staging = store.newStagingDir();
        Files.writeString(staging.resolve("half-written"), "x");

        assertThat(store.loadAll()).containsExactly(
                new PluginRecord("good-one", PluginState.ACTIVE, null, 20001, now, now));
        assertThat(staging).as("a crash's staging folder is cleaned").doesNotExist();
    }

    @Test
    void shouldDeleteATreeWithoutFollowingLinksOutOfIt(@TempDir Path dir) throws IOException {
        Path outside = Files.writeString(dir.resolve("outside.txt"), "keep me");
        Path tree = Files.createDirectories(dir.resolve("tree/sub"));
        Files.createSymbolicLink(tree.resolve("link"), outside);
        Files.createSymbolicLink(dir.resolve("tree/dirlink"), dir);

        PluginStore.deleteTree(dir.resolve("tree"));

        assertThat(dir.resolve("tree")).doesNotExist();
        assertThat(outside).hasContent("keep me");
    }
}
