package io.logomesh.host.dashboard;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.logomesh.host.support.HostTestResource;
import io.logomesh.host.support.TestBundle;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static io.logomesh.host.support.Api.uninstallQuietly;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The dashboard in a real browser: {@code src/test/browser/dashboard.spec.mjs} drives Debian's Chromium
 * (headless, playwright-core) against this running host, installing a plugin through the page's file
 * upload and walking through login, controls, charts, actions, alerts, audit and logout. Prepared by
 * {@code src/test/browser/setup.sh} ({@code make test} runs it); skipped only when Chromium could not be
 * installed. Screenshots: {@code target/screenshots/}.
 */
@QuarkusTest
@WithTestResource(HostTestResource.class)
class DashboardBrowserTest {

    private static final String PLUGIN = "dash-browser";
    /** Room for the runtime plus the memory the script allocates to raise a memory alert. */
    private static final int MAX_MEMORY_MB = 128;
    private static final Path SCREENSHOTS = Path.of("target/screenshots");

    @TestHTTPResource("/")
    URL root;

    @AfterEach
    void cleanUp() {
        uninstallQuietly(PLUGIN);
    }

    @Test
    void shouldServeTheDashboardAndItsChartLibraryWithoutAToken() {
        given().get("/").then().statusCode(200).body(containsString("data-testid=\"login-form\""));
        given().get("/app.js").then().statusCode(200);
        given().get("/vendor/uplot/uPlot.iife.min.js").then().statusCode(200).body(containsString("uPlot"));
        given().get("/api/v1/plugins").then().statusCode(401);
    }

    @Test
    void shouldDriveTheDashboardInARealBrowser() throws Exception {
        Path chromium = Path.of(System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium"));
        if (!Files.isExecutable(chromium)) {
            Path why = NodeTool.WORK.resolve("chromium-unavailable");
            String reason = "SKIPPED the dashboard's browser test: no Chromium at " + chromium + ": " + (Files.exists(why)
                    ? Files.readString(why).strip()
                    : "run `make test` or src/test/browser/setup.sh, which install Debian's chromium as root");
            System.err.println("[dashboard] " + reason);
            Assumptions.abort(reason);
        }
        if (!Files.exists(NodeTool.SCRIPTS.resolve("node_modules/playwright-core/package.json"))) {
            fail("playwright-core is not installed: run src/test/browser/setup.sh (make test does)");
        }
        Path bundle = NodeTool.WORK.resolve(PLUGIN + ".tgz");
        Files.createDirectories(NodeTool.WORK);
        Files.write(bundle, TestBundle.fixture("echo-node", PLUGIN)
                .manifest(m -> ((ObjectNode) m.get("resourceRequirements")).put("maxMemoryMB", MAX_MEMORY_MB)).tarGz());
        clear(SCREENSHOTS);

        NodeTool.Run browser = NodeTool.run("dashboard.spec", 5, NodeTool.SCRIPTS.resolve("dashboard.spec.mjs").toString(),
                root.toString(), HostTestResource.TOKEN, SCREENSHOTS.toString(), bundle.toString(), PLUGIN,
                String.valueOf(MAX_MEMORY_MB));

        String report = browser.output();
        List<String> failures = report.lines().filter(l -> l.startsWith("FAIL ")).toList();
        assertTrue(failures.isEmpty(), "dashboard steps failed:\n" + String.join("\n", failures) + "\n\n" + report);
        assertEquals(0, browser.exitCode(), report);
        assertTrue(report.contains("STEPS PASSED"), report);
        assertFalse(report.contains("page error:"), "the page threw:\n" + report);
        try (Stream<Path> shots = Files.list(SCREENSHOTS)) {
            assertTrue(shots.anyMatch(p -> p.toString().endsWith(".png")), "no screenshot in " + SCREENSHOTS);
        }
    }

    private static void clear(Path dir) throws IOException {
        Files.createDirectories(dir);
        try (Stream<Path> old = Files.list(dir)) {
            for (Path p : old.filter(p -> p.toString().endsWith(".png")).toList()) {
                Files.delete(p);
            }
        }
    }
}
