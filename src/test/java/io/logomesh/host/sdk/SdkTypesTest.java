package io.logomesh.host.sdk;

import io.logomesh.host.cli.CliProcess;
import io.logomesh.host.plugin.PluginStore;
import io.logomesh.host.support.HostTestResource;
import io.logomesh.host.support.TestBundle;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;

import static io.logomesh.host.support.Api.action;
import static io.logomesh.host.support.Api.activate;
import static io.logomesh.host.support.Api.install;
import static io.logomesh.host.support.Api.installAndActivate;
import static io.logomesh.host.support.Api.uninstallQuietly;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.oneOf;
import static org.hamcrest.Matchers.startsWith;

/**
 * The plugin SDK's types and the runtimes stay in step: a sample plugin per language is type-checked
 * against the shipped types (TypeScript {@code tsc --strict} against {@code logomesh.d.ts}, Python
 * {@code mypy --strict} against {@code __init__.pyi}, C compiled with {@code -Werror} against
 * {@code logomesh.h}), then runs in a real container and calls every ctx member / host import; each
 * answer must have the shape and error code the types promise. Tools: {@code make sdk-tools}.
 */
@QuarkusTest
@WithTestResource(HostTestResource.class)
class SdkTypesTest {

    private static final String NODE = "sdk-selftest-node";
    private static final String PYTHON = "sdk-selftest-python";
    private static final String C = "sdk-hello-c";
    private static final List<String> CODES = List.of("denied", "not_found", "not_active", "no_handler", "timeout",
            "too_large", "rate_limited", "busy", "bad_request", "unsupported", "invalid_event", "frame_too_large",
            "closed", "plugin_error");

    private Path work;

    @BeforeEach
    void folder() throws IOException {
        work = Files.createTempDirectory("sdk-types-");
    }

    @AfterEach
    void cleanUp() {
        uninstallQuietly(NODE);
        uninstallQuietly(PYTHON);
        uninstallQuietly(C);
        PluginStore.deleteTree(work);
    }

    @Test
    void shouldRunATypeScriptPluginCompiledStrictlyAgainstTheShippedTypes() throws IOException {
        Path out = work.resolve("dist");
        CliProcess.Outcome tsc = CliProcess.run(List.of("sdk/tools/tsc.sh", "-p",
                "src/test/resources/plugins/" + NODE, "--outDir", out.toString()), Map.of(), 300);
        assertThat(tsc.exitCode()).as(tsc.toString()).isZero();

        installAndActivate(TestBundle.fixture(NODE, NODE)
                .file("dist/index.js", Files.readString(out.resolve("index.js"))));
        ValidatableResponse r = action(NODE, "{\"type\":\"selftest\"}").statusCode(200).body("success", is(true));
        assertCommonAnswers(r, NODE);
        r.body("result.chained", is(true)).body("result.grantShape", nullValue());
    }

    @Test
    void shouldRunAPythonPluginCheckedStrictlyAgainstTheShippedStub() throws IOException {
        Path stub = work.resolve("typings/logomesh_shim");
        Files.createDirectories(stub);
        Files.copy(Path.of("runtime-images/python/shim/__init__.pyi"), stub.resolve("__init__.pyi"),
                StandardCopyOption.REPLACE_EXISTING);
        CliProcess.Outcome mypy = CliProcess.run(List.of("mypy", "--strict", "--no-incremental", "--python-version", "3.11",
                "src/test/resources/plugins/" + PYTHON + "/main.py"), Map.of("MYPYPATH", work.resolve("typings").toString()), 300);
        assertThat(mypy.exitCode()).as(mypy.toString()).isZero();
        CliProcess.Outcome shim = CliProcess.run(List.of("mypy", "--strict", "--no-incremental", "--python-version", "3.11",
                "runtime-images/python/shim/ctx.py", "runtime-images/python/shim/codes.py",
                "runtime-images/python/shim/shapes.py"), Map.of(), 300); // the runtime's own ctx is typed too
        assertThat(shim.exitCode()).as(shim.toString()).isZero();

        installAndActivate(TestBundle.fixture(PYTHON, PYTHON));
        ValidatableResponse r = action(PYTHON, "{\"type\":\"selftest\"}").statusCode(200).body("success", is(true));
        assertCommonAnswers(r, PYTHON);
        r.body("result.camel", is(true)).body("result.deniedConstant", is(true));
    }

    @Test
    void shouldRunTheCExampleBuiltAgainstTheHeader() throws IOException {
        Path wasm = work.resolve("plugin.wasm");
        CliProcess.Outcome clang = CliProcess.run(List.of("clang", "--target=wasm32-wasi", "-mexec-model=reactor", "-O2",
                "-Wall", "-Wextra", "-Werror", "-I", "runtime-images/wasm", "-o", wasm.toString(), "plugins/hello-c/plugin.c"),
                Map.of(), 120);
        assertThat(clang.exitCode()).as(clang.toString()).isZero();
        Path bundle = work.resolve("bundle");
        Files.createDirectories(bundle);
        Files.copy(wasm, bundle.resolve("plugin.wasm"));
        String manifest = Files.readString(Path.of("plugins/hello-c/manifest.json"), StandardCharsets.UTF_8)
                .replace("\"id\": \"hello-c\"", "\"id\": \"" + C + "\"")
                .replace("\"greeting\": \"Hello\"", "\"greeting\": \"Hej\"");
        Files.writeString(bundle.resolve("manifest.json"), manifest);
        CliProcess.Outcome packed = CliProcess.run(List.of("tar", "-C", bundle.toString(), "-czf",
                work.resolve("c.tgz").toString(), "."), Map.of(), 30);
        assertThat(packed.exitCode()).isZero();
        install(Files.readAllBytes(work.resolve("c.tgz"))).statusCode(201);
        activate(C).statusCode(200).body("state", is("ACTIVE"));

        action(C, "{\"type\":\"greet\",\"payload\":{\"name\":\"Ada\"}}").statusCode(200)
                .body("result.greeting", is("Hej, Ada!"));
        action(C, "{\"type\":\"echo\",\"payload\":[1,\"two\"]}").statusCode(200).body("result[1]", is("two"));
        action(C, "{\"type\":\"usage\"}").statusCode(200).body("result.pluginId", is(C));
        action(C, "{\"type\":\"emit\"}").statusCode(200).body("success", is(false)).body("error", startsWith("denied: "));
        action(C, "{\"type\":\"selftest\"}").statusCode(200).body("success", is(true))
                .body("result.greeting", is("Hej"))
                .body("result.missing", is("not_found"))
                .body("result.usage", is(true))
                .body("result.emitDenied", is("denied"))
                .body("result.resource", is("denied"))
                .body("result.release", is("denied"))
                .body("result.permission", is("resolved"))
                .body("result.audited", is("resolved"));
        action(C, "{\"type\":\"nope\"}").statusCode(200).body("success", is(false))
                .body("error", containsString("unknown action type 'nope'"));
    }

    /** What every runtime's selftest reports alike (fixtures' manifests: messaging to itself, events:publish:sdk.*). */
    private static void assertCommonAnswers(ValidatableResponse r, String id) {
        r.body("result.pluginId", is(id))
                .body("result.greeting", is("hej"))
                .body("result.reply.pong", is(7))
                .body("result.reply.from", is(id))
                .body("result.missing", is("not_found"))
                .body("result.noHandler", is("no_handler"))
                .body("result.delivered", greaterThanOrEqualTo(0))
                .body("result.emitDenied", is("denied"))
                .body("result.resource", is("denied"))
                .body("result.release", is("denied"))
                .body("result.usagePluginId", is(id))
                .body("result.usageLimitsMemory", is(64))
                .body("result.alerts", greaterThanOrEqualTo(0))
                .body("result.permission", is("events:publish:sdk.other"))
                .body("result.permissionStatus", oneOf("granted", "pending", "denied"))
                .body("result.audited", nullValue());
        String missing = r.extract().path("result.missing");
        assertThat(CODES).contains(missing);
    }
}
