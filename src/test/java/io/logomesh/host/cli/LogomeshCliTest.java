package io.logomesh.host.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.logomesh.host.plugin.PluginStore;
import io.logomesh.host.support.HostTestResource;
import io.logomesh.host.support.TestBundle;
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
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static io.logomesh.host.support.Api.get;
import static io.logomesh.host.support.Api.uninstallQuietly;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.is;

/** The {@code bin/logomesh} client as a process against the host under test, with real plugins. */
@QuarkusTest
@WithTestResource(HostTestResource.class)
class LogomeshCliTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ID = "ops-cli-echo";

    @TestHTTPResource("/")
    URL url;

    private Path work;

    @BeforeEach
    void folder() throws IOException {
        work = Files.createTempDirectory("ops-cli-");
    }

    @AfterEach
    void cleanUp() {
        uninstallQuietly(ID);
        uninstallQuietly("ops-cli-tgz");
        PluginStore.deleteTree(work);
    }

    private CliProcess.Outcome cli(String... args) {
        List<String> command = new ArrayList<>(List.of("python3", "bin/logomesh", "--url", url.toString()));
        command.addAll(List.of(args));
        return CliProcess.run(command, Map.of("LOGOMESH_API_TOKEN", HostTestResource.TOKEN), 60);
    }

    @Test
    void shouldInstallListActivateCallAndUninstallAFolder() throws IOException {
        Path folder = fixtureFolder("echo-node", ID);

        CliProcess.Outcome install = cli("install", folder.toString());
        assertThat(install.exitCode()).as(install.toString()).isZero();
        assertThat(install.stdout()).contains("installed " + ID + " 1.0.0 (nodejs): INSTALLED");
        assertThat(install.stderr()).contains("uploading").contains("done");
        get(ID).statusCode(200).body("state", is("INSTALLED"));

        CliProcess.Outcome list = cli("list");
        assertThat(list.exitCode()).as(list.toString()).isZero();
        assertThat(list.stdout().lines()).anyMatch(l -> l.matches(ID + "\\s+1\\.0\\.0\\s+nodejs\\s+INSTALLED\\s+-"));

        CliProcess.Outcome activate = cli("activate", ID);
        assertThat(activate.exitCode()).as(activate.toString()).isZero();
        assertThat(activate.stdout().strip()).isEqualTo(ID + ": ACTIVE");
        assertThat(activate.stderr()).contains("activating " + ID + " ... done");
        get(ID).body("state", is("ACTIVE"));

        CliProcess.Outcome call = cli("call", ID, "echo", "{\"x\": [1, 2], \"s\": \"hi\"}");
        assertThat(call.exitCode()).as(call.toString()).isZero();
        assertThat(JSON.readTree(call.stdout())).isEqualTo(JSON.readTree("{\"x\":[1,2],\"s\":\"hi\"}"));

        CliProcess.Outcome thrown = cli("call", ID, "no-such-action");
        assertThat(thrown.exitCode()).as(thrown.toString()).isEqualTo(1);
        assertThat(thrown.stderr()).contains("logomesh: the plugin failed the action: unknown action type");

        CliProcess.Outcome show = cli("--json", "show", ID);
        JsonNode shown = JSON.readTree(show.stdout());
        assertThat(shown.get("state").asText()).isEqualTo("ACTIVE");
        assertThat(shown.get("containerId").asText()).isNotBlank();

        CliProcess.Outcome uninstall = cli("uninstall", ID);
        assertThat(uninstall.exitCode()).as(uninstall.toString()).isZero();
        get(ID).statusCode(404);
    }

    @Test
    void shouldInstallATarGzAndRunPythonActions() throws IOException {
        Path tgz = work.resolve("bundle.tgz");
        Files.write(tgz, TestBundle.fixture("echo-python", "ops-cli-tgz").tarGz());

        assertThat(cli("-q", "install", tgz.toString()).exitCode()).isZero();
        assertThat(cli("-q", "activate", "ops-cli-tgz").stdout().strip()).isEqualTo("ops-cli-tgz: ACTIVE");
        CliProcess.Outcome call = cli("--json", "call", "ops-cli-tgz", "echo", "42");

        assertThat(JSON.readTree(call.stdout()).get("result").asInt()).as(call.toString()).isEqualTo(42);
        assertThat(JSON.readTree(call.stdout()).get("success").asBoolean()).isTrue();
    }

    @Test
    void shouldPrintTheServersErrorAndExitNonZero() throws IOException {
        CliProcess.Outcome unknown = cli("show", "ops-cli-nope");
        assertThat(unknown.exitCode()).isEqualTo(1);
        assertThat(unknown.stderr().strip())
                .isEqualTo("logomesh: plugin_not_found: no plugin 'ops-cli-nope' is installed");
        assertThat(unknown.stdout()).isEmpty();

        Path bad = fixtureFolder("echo-node", "Bad Id!");
        ObjectNode manifest = (ObjectNode) JSON.readTree(bad.resolve("manifest.json").toFile());
        manifest.put("version", "one");
        JSON.writeValue(bad.resolve("manifest.json").toFile(), manifest);
        CliProcess.Outcome invalid = cli("install", bad.toString());
        assertThat(invalid.exitCode()).isEqualTo(1);
        assertThat(invalid.stderr()).contains("logomesh: manifest_invalid: ").contains("  /id: ")
                .contains("  /version: ");

        CliProcess.Outcome wrongToken = CliProcess.run(
                List.of("python3", "bin/logomesh", "--url", url.toString(), "--token", "wrong", "list"), Map.of(), 30);
        assertThat(wrongToken.exitCode()).isEqualTo(1);
        assertThat(wrongToken.stderr()).contains("unauthorized: invalid bearer token");
    }

    @Test
    void shouldSayWhenTheHostDoesNotAnswer() {
        CliProcess.Outcome down = CliProcess.run(
                List.of("python3", "bin/logomesh", "--url", "http://127.0.0.1:9", "--token", "t", "list"),
                Map.of(), 30);

        assertThat(down.exitCode()).isEqualTo(3);
        assertThat(down.stderr()).startsWith("logomesh: the host at http://127.0.0.1:9 does not answer");
    }

    @Test
    void shouldReadTheTokenFromTheDataFolderAndDescribeTheSystem() throws IOException {
        Path data = Files.createDirectories(work.resolve("data"));
        Files.writeString(data.resolve("api-token"), HostTestResource.TOKEN + "\n");
        CliProcess.Outcome system = CliProcess.run(List.of("python3", "bin/logomesh", "--url", url.toString(),
                "--data-dir", data.toString(), "system"), Map.of(), 30);

        assertThat(system.exitCode()).as(system.toString()).isZero();
        assertThat(JSON.readTree(system.stdout()).at("/engine/available").asBoolean()).isTrue();
    }

    private Path fixtureFolder(String fixture, String id) throws IOException {
        Path source = Path.of("src/test/resources/plugins", fixture);
        Path target = work.resolve(fixture);
        try (Stream<Path> walk = Files.walk(source)) {
            for (Path p : walk.toList()) {
                Path dest = target.resolve(source.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(dest);
                } else {
                    Files.copy(p, dest, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        ObjectNode manifest = (ObjectNode) JSON.readTree(target.resolve("manifest.json").toFile());
        manifest.put("id", id);
        JSON.writeValue(target.resolve("manifest.json").toFile(), manifest);
        return target;
    }
}
