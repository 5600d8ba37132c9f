package io.logomesh.host.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.logomesh.host.container.LogTail;
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
    private static final String OBSERVED = "cli-observed-node";
    /** A Node.js plugin that writes to its container's stdout, so there are logs to read. */
    private static final String PRINTING_PLUGIN = """
            'use strict';
            module.exports = {
              activate() { console.log('cli-observed: active'); },
              deactivate() {},
              execute(action) {
                if (action.type === 'print') {
                  for (const line of action.payload.lines) console.log(line);
                  return { printed: action.payload.lines.length };
                }
                throw new Error(`unknown action type '${action.type}' (try print)`);
              },
            };
            """;

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
        uninstallQuietly(OBSERVED);
        PluginStore.deleteTree(work);
    }

    private CliProcess.Outcome cli(String... args) {
        List<String> command = new ArrayList<>(List.of("python3", "bin/logomesh", "--url", url.toString()));
        command.addAll(List.of(args));
        return CliProcess.run(command, Map.of("LOGOMESH_API_TOKEN", HostTestResource.TOKEN), 60);
    }

    @Test
    void shouldManageTokensPermissionRequestsAndAlertsWithJsonAnywhere() {
        CliProcess.Outcome version = cli("--version");
        assertThat(version.exitCode()).as(version.toString()).isZero();
        assertThat(version.stdout() + version.stderr()).matches("(?s)logomesh \\d+\\.\\d+\\.\\d+\\s*");

        CliProcess.Outcome created = cli("token", "create", "caller", "--name", "cli-caller", "--plugin", "p1", "--json");
        assertThat(created.exitCode()).as(created.toString()).isZero();
        String token = io.restassured.path.json.JsonPath.from(created.stdout()).getString("token");
        String tokenId = io.restassured.path.json.JsonPath.from(created.stdout()).getString("info.id");
        assertThat(token).startsWith("lm_");

        CliProcess.Outcome plain = cli("token", "create", "viewer");
        assertThat(plain.exitCode()).as(plain.toString()).isZero();
        assertThat(plain.stdout().strip()).startsWith("lm_");
        assertThat(plain.stderr()).contains("shown once");

        CliProcess.Outcome listed = cli("token", "list");
        assertThat(listed.exitCode()).as(listed.toString()).isZero();
        assertThat(listed.stdout()).contains(tokenId + "\tcaller\tcli-caller\tp1").contains("initial\tadmin")
                .doesNotContain(token).doesNotContain(HostTestResource.TOKEN);
        CliProcess.Outcome listedJson = cli("--json", "token", "list");
        assertThat(listedJson.stdout().strip()).startsWith("[{").contains("\"id\": \"" + tokenId + "\"");

        CliProcess.Outcome revoked = cli("token", "revoke", tokenId);
        assertThat(revoked.exitCode()).as(revoked.toString()).isZero();
        assertThat(revoked.stdout().strip()).isEqualTo(tokenId + ": revoked");
        assertThat(cli("token", "list").stdout()).doesNotContain(tokenId);
        CliProcess.Outcome again = cli("token", "revoke", tokenId);
        assertThat(again.exitCode()).isEqualTo(1);
        assertThat(again.stderr()).contains("token_not_found");

        CliProcess.Outcome requests = cli("requests", "--json", "--status", "pending");
        assertThat(requests.exitCode()).as(requests.toString()).isZero();
        assertThat(requests.stdout().strip()).startsWith("[");
        CliProcess.Outcome approve = cli("approve", "no-such-request", "--reason", "ok");
        assertThat(approve.exitCode()).isEqualTo(1);
        assertThat(approve.stderr()).contains("not_found");
        CliProcess.Outcome alerts = cli("alerts", "--open", "--json");
        assertThat(alerts.exitCode()).as(alerts.toString()).isZero();
        assertThat(alerts.stdout().strip()).startsWith("[");
        CliProcess.Outcome ack = cli("ack", "no-such-plugin", "a1");
        assertThat(ack.exitCode()).isEqualTo(1);
        assertThat(ack.stderr()).contains("not_found");
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
    void shouldShowTheLogsUsageAndAuditTrailOfARealPlugin() throws Exception {
        Path folder = fixtureFolder("echo-node", OBSERVED);
        Files.writeString(folder.resolve("index.js"), PRINTING_PLUGIN);
        assertThat(cli("-q", "install", folder.toString()).exitCode()).isZero();

        CliProcess.Outcome never = cli("logs", OBSERVED); // installed, never ran: no output, no error
        assertThat(never.exitCode()).as(never.toString()).isZero();
        assertThat(never.stdout()).isEmpty();
        CliProcess.Outcome notRunning = cli("usage", OBSERVED);
        assertThat(notRunning.exitCode()).as(notRunning.toString()).isEqualTo(1);
        assertThat(notRunning.stderr()).startsWith("logomesh: not_running: ");

        assertThat(cli("-q", "activate", OBSERVED).stdout().strip()).isEqualTo(OBSERVED + ": ACTIVE");
        CliProcess.Outcome print = cli("--json", "call", OBSERVED, "print",
                "{\"lines\": [\"cli line 1\", \"cli line 2\", \"cli line 3\", \"cli line 4\"]}");
        assertThat(JSON.readTree(print.stdout()).at("/result/printed").asInt()).as(print.toString()).isEqualTo(4);

        // logs: the container's last lines as plain text, --tail bounding them (the engine may lag a moment)
        CliProcess.Outcome logs = cli("logs", OBSERVED, "--tail", "2");
        for (int i = 0; i < 50 && !logs.stdout().contains("cli line 4"); i++) {
            Thread.sleep(200);
            logs = cli("logs", OBSERVED, "--tail", "2");
        }
        assertThat(logs.exitCode()).as(logs.toString()).isZero();
        assertThat(logs.stdout()).endsWith("\ncli line 3\ncli line 4\n"); // after the host's "output cut" marker
        assertThat(logs.stdout().lines().findFirst().orElseThrow()).startsWith(LogTail.MARKER);
        assertThat(logs.stdout().lines()).hasSize(3);
        CliProcess.Outcome all = cli("logs", OBSERVED);
        assertThat(all.stdout().lines()).containsSubsequence("cli-observed: active", "cli line 1", "cli line 2",
                "cli line 3", "cli line 4");
        CliProcess.Outcome badTail = cli("logs", OBSERVED, "--tail", "0");
        assertThat(badTail.exitCode()).isEqualTo(1);
        assertThat(badTail.stderr().strip()).isEqualTo("logomesh: invalid_request: tail must be at least 1");
        CliProcess.Outcome unknown = cli("logs", "cli-no-such-plugin");
        assertThat(unknown.exitCode()).isEqualTo(1);
        assertThat(unknown.stderr()).startsWith("logomesh: plugin_not_found: ");

        // usage: the measured report, pretty by default, one line with --json
        CliProcess.Outcome usage = cli("usage", OBSERVED);
        assertThat(usage.exitCode()).as(usage.toString()).isZero();
        assertThat(usage.stdout().lines().count()).isGreaterThan(5);
        JsonNode report = JSON.readTree(usage.stdout());
        assertThat(report.get("pluginId").asText()).isEqualTo(OBSERVED);
        assertThat(report.get("state").asText()).isEqualTo("ACTIVE");
        assertThat(report.at("/usage/memoryBytes").asLong()).isPositive();
        assertThat(report.at("/usage/memoryLimitBytes").asLong()).isEqualTo(64L * 1024 * 1024);
        assertThat(report.at("/usage/pids").asLong()).isPositive();
        CliProcess.Outcome usageJson = cli("--json", "usage", OBSERVED);
        assertThat(usageJson.stdout().strip()).doesNotContain("\n");
        assertThat(JSON.readTree(usageJson.stdout()).get("containerId").asText())
                .isEqualTo(report.get("containerId").asText()).isNotBlank();

        // audit: this plugin's records, oldest first, one tab-separated line each
        CliProcess.Outcome audit = cli("audit", "--plugin", OBSERVED, "--limit", "1000");
        assertThat(audit.exitCode()).as(audit.toString()).isZero();
        List<String[]> rows = audit.stdout().lines().map(l -> l.split("\t")).toList();
        assertThat(rows).isNotEmpty().allSatisfy(r -> {
            assertThat(r.length).isGreaterThanOrEqualTo(6);
            assertThat(r[3]).isEqualTo(OBSERVED);
        });
        assertThat(rows).extracting(r -> Long.parseLong(r[0])).isSorted();
        assertThat(rows).anySatisfy(r -> { // the install, by the operator
            assertThat(r[2]).isEqualTo("operator");
            assertThat(r[6]).contains("\"method\":\"POST\"").contains("\"status\":201");
        });
        assertThat(rows).anySatisfy(r -> { // the activation
            assertThat(r[2]).isEqualTo("lifecycle");
            assertThat(r[6]).contains("\"to\":\"ACTIVE\"");
        });
        assertThat(rows).anySatisfy(r -> { // the action
            assertThat(r[2]).isEqualTo("action");
            assertThat(r[5]).isEqualTo("ok");
            assertThat(r[6]).contains("\"actionType\":\"print\"");
        });
        CliProcess.Outcome lastTwo = cli("--json", "audit", "--plugin", OBSERVED, "--limit", "2");
        JsonNode newest = JSON.readTree(lastTwo.stdout());
        assertThat(newest).hasSize(2);
        assertThat(newest.get(1).get("seq").asLong()).isEqualTo(Long.parseLong(rows.getLast()[0]));
        assertThat(newest.get(0).get("pluginId").asText()).isEqualTo(OBSERVED);
        CliProcess.Outcome tooMany = cli("audit", "--limit", "5000");
        assertThat(tooMany.exitCode()).isEqualTo(1);
        assertThat(tooMany.stderr()).startsWith("logomesh: invalid_request: ");

        assertThat(cli("-q", "uninstall", OBSERVED).exitCode()).isZero();
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
