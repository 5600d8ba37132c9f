package io.logomesh.host.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.logomesh.host.support.HostTestResource;
import io.logomesh.host.support.TestBundle;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Outside tools accept the live {@code /q/openapi}: {@code @redocly/cli lint} with its recommended ruleset
 * (src/test/openapi/redocly.yaml) finds no error and no warning; and a client generated from the document
 * ({@code openapi-typescript} types, type-checked by {@code tsc}, calls made by {@code openapi-fetch};
 * src/test/openapi/client.ts) installs, activates and calls a real plugin, reads a typed error and a 401,
 * deactivates and uninstalls it. The tools are pinned in src/test/openapi/package-lock.json and installed by
 * src/test/openapi/setup.sh ({@code make api-tools}, run by {@code make test}); this test runs it too.
 */
@QuarkusTest
@WithTestResource(HostTestResource.class)
class OpenApiToolsTest {

    private static final Path TOOLS = Path.of("src/test/openapi");
    private static final Path WORK = Path.of("target/openapi-test");

    @TestHTTPResource("/")
    URL root;

    private String document;

    @BeforeEach
    void fetchDocumentAndTools() throws Exception {
        Run setup = run(List.of("bash", TOOLS.resolve("setup.sh").toString()), Path.of("."), 10);
        assertThat(setup.exitCode()).as("src/test/openapi/setup.sh: %s", setup.output()).isZero();
        document = RestAssured.given().accept("application/json").get("/q/openapi?format=json").then().statusCode(200)
                .extract().asString();
        Files.createDirectories(WORK);
        Files.writeString(WORK.resolve("openapi.json"), document);
    }

    @Test
    void shouldPassRedoclyLintWithTheRecommendedRuleset() throws Exception {
        Run lint = redocly(WORK.resolve("openapi.json"));
        assertThat(lint.exitCode()).as("redocly lint exit code; output:%n%s", lint.output()).isZero();
        assertThat(lint.output()).as("redocly lint output").contains("Your API description is valid")
                .doesNotContainPattern("\\d+:\\d+\\s+warning"); // stylish format: line:column severity rule
    }

    @Test
    void shouldMakeRedoclyLintFailOnABrokenDocument() throws Exception {
        ObjectMapper json = new ObjectMapper();
        ObjectNode broken = (ObjectNode) json.readTree(document);
        broken.remove("servers"); // the recommended ruleset's no-empty-servers is an error
        Path file = WORK.resolve("openapi-broken.json");
        Files.writeString(file, json.writeValueAsString(broken));
        Run lint = redocly(file);
        assertThat(lint.exitCode()).isNotZero();
        assertThat(lint.output()).contains("no-empty-servers");
    }

    @Test
    void shouldInstallActivateAndCallAPluginWithAGeneratedClient() throws Exception {
        String node = node();
        Path schema = TOOLS.resolve("build/schema.d.ts");
        Files.deleteIfExists(schema);
        Files.deleteIfExists(TOOLS.resolve("build/client.js"));
        Run generate = run(List.of(node, "node_modules/openapi-typescript/bin/cli.js",
                WORK.resolve("openapi.json").toAbsolutePath().toString(), "-o", "build/schema.d.ts"), TOOLS, 3);
        assertThat(generate.exitCode()).as("openapi-typescript: %s", generate.output()).isZero();
        Run compile = run(List.of(node, "node_modules/typescript/bin/tsc", "-p", "tsconfig.json"), TOOLS, 5);
        assertThat(compile.exitCode()).as("tsc against the generated types: %s", compile.output()).isZero();

        String id = "gen-client";
        Path bundle = WORK.resolve(id + ".tgz").toAbsolutePath();
        Files.write(bundle, TestBundle.fixture("echo-node", id).tarGz());
        String base = root.toString().replaceAll("/$", "");
        Run client = run(List.of(node, "build/client.js", base, HostTestResource.TOKEN, bundle.toString(), id), TOOLS, 3);
        try {
            assertThat(client.output()).contains("PASS install", "PASS activate", "PASS call echo", "PASS typed error",
                    "PASS 401 without token", "PASS deactivate", "PASS uninstall");
            assertThat(client.exitCode()).as("generated client: %s", client.output()).isZero();
        } finally {
            io.logomesh.host.support.Api.uninstallQuietly(id);
        }
    }

    private static Run redocly(Path file) throws Exception {
        return run(List.of(node(), "node_modules/@redocly/cli/bin/cli.js", "lint", "--config", "redocly.yaml",
                "--format=stylish", file.toAbsolutePath().toString()), TOOLS, 3);
    }

    private static String node() throws IOException {
        return Files.readString(WORK.resolve("node-bin")).strip();
    }

    record Run(int exitCode, String output) {
    }

    private static Run run(List<String> command, Path dir, int minutes) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(new ArrayList<>(command)).directory(dir.toFile()).redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        env.put("REDOCLY_TELEMETRY", "off"); // nothing leaves the machine
        env.put("REDOCLY_SUPPRESS_UPDATE_NOTICE", "true");
        env.put("NO_COLOR", "1");
        Process p = pb.start();
        p.getOutputStream().close();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(minutes, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            return new Run(-1, output + "\n(killed after " + minutes + " minutes)");
        }
        System.out.println(output);
        return new Run(p.exitValue(), output);
    }
}
