package io.logomesh.host.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.logomesh.host.plugin.PluginStore;
import io.logomesh.host.support.HostTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.logomesh.host.support.Api.get;
import static io.logomesh.host.support.Api.uninstallQuietly;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.is;

/** {@code logomesh upgrade|rollback|config|secrets} as a process against the host under test, with a real plugin. */
@QuarkusTest
@WithTestResource(HostTestResource.class)
class UpgradeCliTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ID = "ops-cli-upgrade";
    private static final String CODE = """
            'use strict';
            module.exports = {
              activate() {}, deactivate() {},
              execute(action, ctx) {
                if (action.type === 'config') return ctx.config;
                if (action.type === 'names') return Object.keys(ctx.secrets).sort();
                if (action.type === 'secret') return ctx.secrets.token === 'from-stdin';
                return { version: '%s' };
              },
            };
            """;

    @TestHTTPResource("/")
    URL url;

    private Path work;

    @BeforeEach
    void folder() throws IOException {
        work = Files.createTempDirectory("ops-cli-upgrade-");
    }

    @AfterEach
    void cleanUp() {
        uninstallQuietly(ID);
        PluginStore.deleteTree(work);
    }

    private CliProcess.Outcome cli(String... args) {
        List<String> command = new ArrayList<>(List.of("python3", "bin/logomesh", "--url", url.toString()));
        command.addAll(List.of(args));
        return CliProcess.run(command, Map.of("LOGOMESH_API_TOKEN", HostTestResource.TOKEN), 60);
    }

    /** The plugin folder at {@code version} (same folder, rewritten). */
    private Path bundle(String version) throws IOException {
        Path dir = work.resolve("plugin");
        Files.createDirectories(dir);
        ObjectNode manifest = (ObjectNode) JSON.readTree(Path.of("src/test/resources/plugins/echo-node/manifest.json")
                .toFile());
        manifest.put("id", ID).put("version", version);
        manifest.putObject("config").put("level", 1);
        Files.write(dir.resolve("manifest.json"), JSON.writeValueAsBytes(manifest));
        Files.writeString(dir.resolve("index.js"), CODE.formatted(version));
        return dir;
    }

    private CliProcess.Outcome ok(String... args) {
        CliProcess.Outcome outcome = cli(args);
        assertThat(outcome.exitCode()).as(outcome.toString()).isZero();
        return outcome;
    }

    @Test
    void shouldUpgradeRollBackSetConfigAndManageSecrets() throws IOException {
        ok("-q", "install", bundle("1.0.0").toString());
        ok("-q", "activate", ID);

        assertThat(ok("-q", "upgrade", bundle("2.0.0").toString()).stdout().strip())
                .isEqualTo("upgraded " + ID + " to 2.0.0: ACTIVE");
        assertThat(JSON.readTree(ok("call", ID, "version").stdout()).get("version").asText()).isEqualTo("2.0.0");
        assertThat(ok("-q", "rollback", ID).stdout().strip()).isEqualTo("rolled back " + ID + " to 1.0.0: ACTIVE");
        get(ID).body("version", is("1.0.0"));

        assertThat(ok("config", ID, "--set", "{\"level\": 5}").stdout().strip())
                .isEqualTo(ID + ": config stored (live)");
        JsonNode view = JSON.readTree(ok("--json", "config", ID).stdout());
        assertThat(view.get("effective").get("level").asInt()).isEqualTo(5);
        assertThat(JSON.readTree(ok("call", ID, "config").stdout()).get("level").asInt()).isEqualTo(5);

        Path valueFile = work.resolve("value.txt");
        Files.writeString(valueFile, "from-a-file\n");
        assertThat(ok("secrets", ID, "set", "apiKey", "--from-file", valueFile.toString()).stdout().strip())
                .isEqualTo(ID + ": secret apiKey stored");
        CliProcess.Outcome piped = CliProcess.run(List.of("sh", "-c", "printf %s from-stdin | python3 bin/logomesh --url "
                + url + " secrets " + ID + " set token"), Map.of("LOGOMESH_API_TOKEN", HostTestResource.TOKEN), 60);
        assertThat(piped.exitCode()).as(piped.toString()).isZero();
        CliProcess.Outcome names = ok("secrets", ID);
        assertThat(names.stdout().lines().map(l -> l.split("\t")[0]).toList()).containsExactly("apiKey", "token");
        assertThat(names.stdout()).doesNotContain("from-a-file").doesNotContain("from-stdin");

        // secrets reach the plugin at its next activation: an upgrade to the same bundle is one without a gap
        ok("-q", "upgrade", bundle("1.0.0").toString());
        assertThat(ok("call", ID, "secret").stdout().strip()).isEqualTo("true");
        assertThat(ok("secrets", ID, "delete", "apiKey").stdout().strip()).isEqualTo(ID + ": secret apiKey deleted");
        assertThat(JSON.readTree(ok("--json", "secrets", ID).stdout()).size()).isEqualTo(1);
    }

    @Test
    void shouldPrintTheServersRefusals() throws IOException {
        ok("-q", "install", bundle("1.0.0").toString());
        CliProcess.Outcome never = cli("rollback", ID);
        assertThat(never.exitCode()).isEqualTo(1);
        assertThat(never.stderr()).contains("no_previous_version");
        CliProcess.Outcome other = cli("upgrade", "--id", "ops-cli-other", bundle("2.0.0").toString());
        assertThat(other.exitCode()).isEqualTo(1);
        assertThat(other.stderr()).contains("plugin_not_found");
        CliProcess.Outcome badConfig = cli("config", ID, "--set", "not json");
        assertThat(badConfig.exitCode()).isEqualTo(2);
        CliProcess.Outcome badName = cli("secrets", ID, "set", "9lives", "--from-file", bundle("1.0.0")
                .resolve("index.js").toString());
        assertThat(badName.exitCode()).isEqualTo(1);
        assertThat(badName.stderr()).contains("secret_invalid");
    }
}
