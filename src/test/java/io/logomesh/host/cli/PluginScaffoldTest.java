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

import static io.logomesh.host.support.Api.action;
import static io.logomesh.host.support.Api.activate;
import static io.logomesh.host.support.Api.get;
import static io.logomesh.host.support.Api.install;
import static io.logomesh.host.support.Api.uninstallQuietly;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;

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
        uninstallQuietly("ops-scaf-webassembly-test");
        uninstallQuietly("ops-scaf-typescript-test");
        uninstallQuietly("ops-scaf-wasm-errors");
        PluginStore.deleteTree(dir);
    }

    @ParameterizedTest
    @CsvSource({"nodejs, index.js, index.js", "python, main.py, main.py", "webassembly, plugin.wasm, plugin.wat"})
    void shouldScaffoldAPluginThatInstallsAndRunsAsIs(String runtime, String main, String source) throws IOException {
        String name = "ops-scaf-" + runtime;
        CliProcess.Outcome made = make("plugin", "NAME=" + name, "RUNTIME=" + runtime, "DIR=" + dir);
        assertThat(made.exitCode()).as(made.toString()).isZero();
        Path plugin = dir.resolve(name);
        assertThat(plugin.resolve("manifest.json")).isRegularFile();
        assertThat(plugin.resolve(main)).isRegularFile();
        assertThat(plugin.resolve(source)).isRegularFile();
        assertThat(plugin.resolve("README.md")).content().contains("curl").contains(name).contains("`" + source + "`")
                .doesNotContain("__");
        assertThat(plugin.resolve("manifest.json")).content()
                .contains("\"runtime\": \"" + runtime + "\"").contains("\"main\": \"" + main + "\"");
        if (!runtime.equals("webassembly")) { // the SDK: types, the harness and one unit test, which make plugin ran
            assertThat(made.stdout()).contains("(unit test passed)");
            assertThat(plugin.resolve(runtime.equals("nodejs") ? "logomesh.d.ts" : "typings/logomesh_shim/__init__.pyi"))
                    .isRegularFile();
            assertThat(plugin.resolve(runtime.equals("nodejs") ? "index.test.js" : "tests/test_main.py")).isRegularFile();
        }
        if (runtime.equals("webassembly")) { // built by make plugin: a module, and a README saying how to rebuild it
            assertThat(Files.readAllBytes(plugin.resolve(main))).startsWith(new byte[] {0, 'a', 's', 'm', 1, 0, 0, 0});
            assertThat(plugin.resolve("README.md")).content().contains("wat2wasm plugin.wat -o plugin.wasm")
                    .contains("make wasm-plugins");
            assertThat(made.stdout()).contains("(built: plugin.wasm)");
        }
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
    void shouldScaffoldATypeScriptPluginCompiledByTscThatRunsAsIs() {
        String name = "ops-scaf-typescript";
        CliProcess.Outcome made = make("plugin", "NAME=" + name, "RUNTIME=nodejs", "LANG=typescript", "DIR=" + dir);
        assertThat(made.exitCode()).as(made.toString()).isZero();
        assertThat(made.stdout()).contains("(nodejs, typescript)").contains("(unit test passed)");
        Path plugin = dir.resolve(name);
        assertThat(plugin.resolve("manifest.json")).content().contains("\"main\": \"dist/index.js\"");
        assertThat(plugin.resolve("src/index.ts")).content().contains("import type").contains("export = plugin");
        assertThat(plugin.resolve("dist/index.js")).isRegularFile(); // tsc's output, the bundle's main
        assertThat(plugin.resolve("dist/index.test.js")).isRegularFile();

        CliProcess.Outcome test = CliProcess.run(List.of(plugin.resolve("test.sh").toString()), Map.of(
                "LOGOMESH_URL", url.toString(),
                "LOGOMESH_API_TOKEN", HostTestResource.TOKEN,
                "LOGOMESH_CLI", Path.of("bin/logomesh").toAbsolutePath().toString()), 90);
        assertThat(test.exitCode()).as(test.toString()).isZero();
        assertThat(test.stdout()).contains("PASS: " + name + "-test installed, activated, echoed and deactivated");
    }

    @Test
    void shouldRefuseTypeScriptForAnotherRuntime() {
        CliProcess.Outcome ts = make("plugin", "NAME=ops-scaf-ts-py", "RUNTIME=python", "LANG=typescript", "DIR=" + dir);
        assertThat(ts.exitCode()).isNotZero();
        assertThat(ts.stderr()).contains("LANG=typescript needs RUNTIME=nodejs");
        assertThat(dir.resolve("ops-scaf-ts-py")).doesNotExist();
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
    void shouldScaffoldAWebAssemblyPluginThatFailsUnknownActionsClearly() throws IOException {
        // RUNTIME=wasm is the short name; the manifest still says webassembly
        CliProcess.Outcome made = make("plugin", "NAME=ops-scaf-wasm-errors", "RUNTIME=wasm", "DIR=" + dir);
        assertThat(made.exitCode()).as(made.toString()).isZero();
        Path folder = dir.resolve("ops-scaf-wasm-errors");
        assertThat(folder.resolve("manifest.json")).content().contains("\"runtime\": \"webassembly\"");
        CliProcess.Outcome packed = CliProcess.run(List.of("tar", "-C", folder.toString(), "-czf",
                dir.resolve("w.tgz").toString(), "."), Map.of(), 30);
        assertThat(packed.exitCode()).isZero();

        install(Files.readAllBytes(dir.resolve("w.tgz"))).statusCode(201).body("runtime", is("webassembly"));
        activate("ops-scaf-wasm-errors").statusCode(200).body("state", is("ACTIVE"));
        action("ops-scaf-wasm-errors", "{\"type\":\"nope\",\"payload\":{\"x\":1}}").statusCode(200)
                .body("success", is(false)).body("error", containsString("unknown action type 'nope' (try echo)"));
        // the error's buffer was given back: the module still echoes, many times over
        for (int i = 0; i < 20; i++) {
            action("ops-scaf-wasm-errors", "{\"type\":\"nope\"}").body("success", is(false));
        }
        action("ops-scaf-wasm-errors", "{\"type\":\"echo\",\"payload\":[\"\\u00e9\",2,{\"k\":null}]}").statusCode(200)
                .body("success", is(true)).body("result[0]", is("\u00e9")).body("result[1]", is(2));
        action("ops-scaf-wasm-errors", "{\"type\":\"echo\"}").statusCode(200)
                .body("success", is(true)).body("result", nullValue());
    }

    @Test
    void shouldRefuseUnknownRuntimesAndBadNamesClearly() {
        CliProcess.Outcome ruby = make("plugin", "NAME=ops-scaf-ruby", "RUNTIME=ruby", "DIR=" + dir);
        assertThat(ruby.exitCode()).isNotZero();
        assertThat(ruby.stderr()).contains("RUNTIME 'ruby' is not one of nodejs, python, webassembly");
        assertThat(dir.resolve("ops-scaf-ruby")).doesNotExist();

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
        return CliProcess.run(command, Map.of(), 300); // LANG=typescript runs tsc (tens of seconds on a loaded machine)
    }
}
