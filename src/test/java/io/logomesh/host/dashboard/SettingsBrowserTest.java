package io.logomesh.host.dashboard;

import io.logomesh.host.support.HostTestResource;
import io.logomesh.host.support.TestBundle;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;

import static io.logomesh.host.support.Api.activate;
import static io.logomesh.host.support.Api.install;
import static io.logomesh.host.support.Api.uninstallQuietly;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The dashboard's upgrade, rollback, config and secrets panel in a real browser
 * ({@code src/test/browser/settings.spec.mjs}); skipped, like {@link DashboardBrowserTest}, only without Chromium.
 */
@QuarkusTest
@WithTestResource(HostTestResource.class)
class SettingsBrowserTest {

    private static final String PLUGIN = "dash-settings";

    @TestHTTPResource("/")
    URL root;

    @AfterEach
    void cleanUp() {
        uninstallQuietly(PLUGIN);
    }

    private static TestBundle version(String version) {
        return TestBundle.fixture("echo-node", PLUGIN).manifest(m -> m.put("version", version));
    }

    @Test
    void shouldUpgradeConfigureAndKeepSecretsOutOfThePage() throws Exception {
        Path chromium = Path.of(System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium"));
        Assumptions.assumeTrue(Files.isExecutable(chromium), "no Chromium at " + chromium);
        assertTrue(Files.exists(NodeTool.SCRIPTS.resolve("node_modules/playwright-core/package.json")),
                "playwright-core is not installed: run src/test/browser/setup.sh (make test does)");
        install(version("1.0.0").tarGz()).statusCode(201);
        activate(PLUGIN).statusCode(200);
        Files.createDirectories(NodeTool.WORK);
        Path next = NodeTool.WORK.resolve(PLUGIN + "-2.0.0.tgz");
        Files.write(next, version("2.0.0").tarGz());
        String secret = "dash-secret-" + UUID.randomUUID();

        NodeTool.Run browser = NodeTool.run("settings.spec", 5, NodeTool.SCRIPTS.resolve("settings.spec.mjs").toString(),
                root.toString(), HostTestResource.TOKEN, "target/screenshots", next.toString(), PLUGIN, secret);

        String report = browser.output();
        List<String> failures = report.lines().filter(l -> l.startsWith("FAIL ")).toList();
        assertTrue(failures.isEmpty(), "settings steps failed:\n" + String.join("\n", failures) + "\n\n" + report);
        assertEquals(0, browser.exitCode(), report);
        assertTrue(report.contains("STEPS PASSED"), report);
        assertFalse(report.contains("page error:"), "the page threw:\n" + report);
    }
}
