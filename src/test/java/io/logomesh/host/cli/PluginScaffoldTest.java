package io.logomesh.host.cli;

import io.logomesh.host.plugin.PluginStore;
import io.logomesh.host.support.HostTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static io.logomesh.host.support.Api.get;
import static io.logomesh.host.support.Api.install;
import static io.logomesh.host.support.Api.uninstallQuietly;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code make plugin} scaffolds a plugin that installs and runs as is: the scaffolded folder's own
 * {@code test.sh} installs it into the host under test, activates it and checks its echo action.
 */
@QuarkusTest
@WithTestResource(HostTestResource.class)
class PluginScaffoldTest {

    @TestHTTPResource("/")
    URL url;

    private Path dir;

    @BeforeEach
    void folder() throws IOException {
        dir = Files.createTempDirectory("ops-scaffold-");
    }

    @AfterEach
    void cleanUp() {
        uninstallQuietly("ops-scaf-nodejs-test");
        uninstallQuietly("ops-scaf-python-test");
        PluginStore.deleteTree(dir);
    }

    @ParameterizedTest
    @CsvSource({"nodejs, index.js", "python, main.py"})
    void shouldScaffoldAPluginThatInstallsAndRunsAsIs(String runtime, String main) {
        String name = "ops-scaf-" + runtime;
        CliProcess.Outcome made = make("plugin", "NAME=" + name, "RUNTIME=" + runtime, "DIR=" + dir);
        assertThat(made.exitCode()).as(made.toString()).isZero();
        Path plugin = dir.resolve(name);
        assertThat(plugin.resolve("manifest.json")).isRegularFile();
        assertThat(plugin.resolve(main)).isRegularFile();
        assertThat(plugin.resolve("README.md")).content().contains("curl").contains(name);
        assertThat(plugin.resolve("test.sh")).isExecutable();

        CliProcess.Outcome test = CliProcess.run(List.of(plugin.resolve("test.sh").toString()), Map.of(
                "LOGOMESH_URL", url.toString(),
                "LOGOMESH_API_TOKEN", HostTestResource.TOKEN,
                "LOGOMESH_CLI", Path.of("bin/logomesh").toAbsolutePath().toString()), 90);

        assertThat(test.exitCode()).as(test.toString()).isZero();
        assertThat(test.stdout()).contains("PASS: " + name + "-test installed, activated, echoed and deactivated");
        get(name + "-test").statusCode(404); // test.sh cleans up after itself
    }

    @Test
    void shouldScaffoldAManifestTheHostAccepts() throws IOException {
        make("plugin", "NAME=ops-scaf-manifest", "RUNTIME=python", "DIR=" + dir);
        Path folder = dir.resolve("ops-scaf-manifest");
        CliProcess.Outcome packed = CliProcess.run(List.of("tar", "-C", folder.toString(), "-czf",
                dir.resolve("b.tgz").toString(), "."), Map.of(), 30);
        assertThat(packed.exitCode()).isZero();
        try {
            install(Files.readAllBytes(dir.resolve("b.tgz"))).statusCode(201);
        } finally {
            uninstallQuietly("ops-scaf-manifest");
        }
    }

    @Test
    void shouldRefuseWebAssemblyAndBadNamesClearly() {
        CliProcess.Outcome wasm = make("plugin", "NAME=ops-scaf-wasm", "RUNTIME=webassembly", "DIR=" + dir);
        assertThat(wasm.exitCode()).isNotZero();
        assertThat(wasm.stderr()).contains("RUNTIME=webassembly is not available yet");

        CliProcess.Outcome bad = make("plugin", "NAME=Bad_Name", "RUNTIME=nodejs", "DIR=" + dir);
        assertThat(bad.exitCode()).isNotZero();
        assertThat(bad.stderr()).contains("NAME 'Bad_Name' must be 3-50 characters");

        CliProcess.Outcome again = make("plugin", "NAME=ops-scaf-twice", "RUNTIME=nodejs", "DIR=" + dir);
        CliProcess.Outcome twice = make("plugin", "NAME=ops-scaf-twice", "RUNTIME=nodejs", "DIR=" + dir);
        assertThat(again.exitCode()).isZero();
        assertThat(twice.stderr()).contains("exists already");
    }

    private static CliProcess.Outcome make(String... args) {
        List<String> command = new java.util.ArrayList<>(List.of("make", "-s"));
        command.addAll(List.of(args));
        return CliProcess.run(command, Map.of(), 60);
    }
}
