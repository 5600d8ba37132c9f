package io.logomesh.host.cli;

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
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static io.logomesh.host.support.Api.action;
import static io.logomesh.host.support.Api.get;
import static io.logomesh.host.support.Api.uninstallQuietly;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.is;

/**
 * {@code logomesh dev DIR} against the host under test: it installs the folder under a dev id and
 * activates it, prints the container's log lines, and on a file change installs the new code
 * (in place where the host upgrades, else uninstall + install) and activates it again.
 */
@QuarkusTest
@WithTestResource(HostTestResource.class)
class LogomeshDevTest {

    private static final String DEV_ID = "ops-dev-loop";
    private static final String CODE = """
            'use strict';
            module.exports = {
              activate() { console.log('dev-line: VERSION active'); },
              deactivate() {},
              execute(action) { return { version: 'VERSION', payload: action.payload }; },
            };
            """;

    @TestHTTPResource("/")
    URL url;

    private Path work;
    private Process dev;

    @BeforeEach
    void folder() throws IOException {
        work = Files.createTempDirectory("ops-dev-");
    }

    @AfterEach
    void cleanUp() {
        if (dev != null) {
            dev.destroyForcibly();
        }
        uninstallQuietly(DEV_ID);
        PluginStore.deleteTree(work);
    }

    @Test
    void shouldInstallStreamLogsAndReinstallOnAChange() throws Exception {
        Path plugin = work.resolve("my-plugin");
        Files.createDirectories(plugin);
        Files.writeString(plugin.resolve("manifest.json"), Files.readString(
                Path.of("src/test/resources/plugins/echo-node/manifest.json")).replace("\"echo-node\"", "\"my-plugin\""));
        Files.writeString(plugin.resolve("index.js"), CODE.replace("VERSION", "v1"));
        Path out = work.resolve("dev.out");
        ProcessBuilder pb = new ProcessBuilder(List.of("python3", "bin/logomesh", "--url", url.toString(), "dev",
                plugin.toString(), "--id", DEV_ID, "--interval", "0.2", "--max-reloads", "1", "--keep"))
                .redirectErrorStream(true).redirectOutput(out.toFile());
        pb.environment().put("LOGOMESH_API_TOKEN", HostTestResource.TOKEN);
        dev = pb.start();

        String first = await(out, s -> s.contains("[" + DEV_ID + "] dev-line: v1 active"));
        assertThat(first).contains("installed " + DEV_ID).contains(DEV_ID + ": ACTIVE");
        action(DEV_ID, "{\"type\":\"x\",\"payload\":1}").statusCode(200).body("result.version", is("v1"));

        Files.writeString(plugin.resolve("index.js"), CODE.replace("VERSION", "v2"));
        assertThat(dev.waitFor(120, TimeUnit.SECONDS)).as("dev exits after one re-install (--max-reloads 1)").isTrue();
        String all = Files.readString(out, StandardCharsets.UTF_8);
        assertThat(dev.exitValue()).as(all).isZero();
        assertThat(all).contains("changed: index.js")
                .containsAnyOf("upgraded " + DEV_ID + " in place", "re-installing " + DEV_ID);
        get(DEV_ID).statusCode(200).body("state", is("ACTIVE")).body("id", is(DEV_ID));
        action(DEV_ID, "{\"type\":\"x\",\"payload\":2}").statusCode(200).body("result.version", is("v2"));
        get("my-plugin").statusCode(404); // only the dev id was installed
    }

    @Test
    void shouldUninstallTheDevPluginOnExitUnlessKept() throws Exception {
        Path plugin = work.resolve("p");
        Files.createDirectories(plugin);
        Files.writeString(plugin.resolve("manifest.json"), Files.readString(
                Path.of("src/test/resources/plugins/echo-node/manifest.json")));
        Files.writeString(plugin.resolve("index.js"), CODE.replace("VERSION", "v1"));
        CliProcess.Outcome run = CliProcess.run(List.of("python3", "bin/logomesh", "--url", url.toString(), "dev",
                plugin.toString(), "--id", DEV_ID, "--interval", "0.2", "--max-reloads", "0"),
                java.util.Map.of("LOGOMESH_API_TOKEN", HostTestResource.TOKEN), 120);
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.stderr()).contains(DEV_ID + ": ACTIVE").contains("uninstalled " + DEV_ID);
        get(DEV_ID).statusCode(404);
    }

    private String await(Path file, Predicate<String> done) throws IOException, InterruptedException {
        long deadline = System.currentTimeMillis() + 120_000;
        String text = "";
        while (System.currentTimeMillis() < deadline) {
            text = Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
            if (done.test(text)) {
                return text;
            }
            if (!dev.isAlive()) {
                break;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("logomesh dev did not get there; its output:\n" + text);
    }
}
