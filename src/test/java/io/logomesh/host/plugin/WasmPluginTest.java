package io.logomesh.host.plugin;

import io.logomesh.host.config.DataFolder;
import io.logomesh.host.support.HostTestResource;
import io.logomesh.host.support.TestBundle;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static io.logomesh.host.support.Api.action;
import static io.logomesh.host.support.Api.activate;
import static io.logomesh.host.support.Api.awaitState;
import static io.logomesh.host.support.Api.deactivate;
import static io.logomesh.host.support.Api.get;
import static io.logomesh.host.support.Api.install;
import static io.logomesh.host.support.Api.installAndActivate;
import static io.logomesh.host.support.Api.uninstall;
import static io.logomesh.host.support.Api.uninstallQuietly;
import static io.logomesh.host.support.Docker.containersOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

/**
 * WebAssembly plugins through REST with real containers: the fixture {@code echo-wasm}
 * (src/test/resources/plugins/echo-wasm/plugin.wat) and its broken siblings.
 */
@QuarkusTest
@WithTestResource(HostTestResource.class)
class WasmPluginTest {

    /** {@code maxMemoryMB} 96 leaves 48 MiB (768 pages) of linear memory after the runtime's 48 MiB reserve. */
    private static final int SMALL_MEMORY_MB = 96;

    @Inject
    DataFolder dataFolder;

    @Test
    void shouldInstallActivateEchoFailDeactivateAndUninstall() {
        String id = "wasm-life";
        install(TestBundle.fixture("echo-wasm", id).tarGz())
                .statusCode(201).body("state", is("INSTALLED")).body("runtime", is("webassembly"));

        activate(id).statusCode(200).body("state", is("ACTIVE")).body("containerId", notNullValue());
        assertThat(containersOf(id)).hasSize(1);
        action(id, "{\"type\":\"echo\",\"payload\":{\"x\":[1,2],\"s\":\"héllo\"}}")
                .statusCode(200).body("success", is(true)).body("result.x", contains(1, 2))
                .body("result.s", is("héllo"));
        action(id, "{\"type\":\"fail\"}")
                .statusCode(200).body("success", is(false)).body("error", is("boom: plugin said no"));
        action(id, "{\"type\":\"nonsense\"}")
                .statusCode(200).body("success", is(false)).body("error", is("unknown action"));
        action(id, "{\"type\":\"echo\",\"payload\":\"still alive\"}").statusCode(200).body("result", is("still alive"));

        deactivate(id).statusCode(200).body("state", is("INACTIVE")).body("containerId", nullValue());
        assertThat(containersOf(id)).isEmpty();
        activate(id).statusCode(200).body("state", is("ACTIVE"));
        uninstall(id).statusCode(204);
        assertThat(containersOf(id)).isEmpty();
    }

    @Test
    void shouldTurnATrapIntoAFailedResultAndKeepTheRuntime() {
        String id = installAndActivate(TestBundle.fixture("echo-wasm", "wasm-trap"));
        String container = get(id).extract().path("containerId");
        action(id, "{\"type\":\"grow\",\"payload\":10}").statusCode(200).body("result", is(2));

        action(id, "{\"type\":\"trap\"}").statusCode(200)
                .body("success", is(false)).body("error", is("RuntimeError: unreachable"));
        action(id, "{\"type\":\"echo\",\"payload\":7}").statusCode(200).body("result", is(7));
        // a fresh instance serves after the trap: the memory is back to its initial 2 pages, not 12
        action(id, "{\"type\":\"grow\",\"payload\":0}").statusCode(200).body("result", is(2));

        get(id).body("state", is("ACTIVE")).body("containerId", is(container));
        uninstallQuietly(id);
    }

    @Test
    void shouldKillASpinningModuleAndServeTheNextActionFromAFreshContainer() {
        String id = installAndActivate(TestBundle.fixture("echo-wasm", "wasm-spin"));
        String first = get(id).extract().path("containerId");

        action(id, "{\"type\":\"spin\"}").statusCode(504).body("error", is("action_timeout"));
        awaitState(id, "ACTIVE", 20); // meanwhile actions are refused at once with 503 restarting
        action(id, "{\"type\":\"echo\",\"payload\":42}").statusCode(200).body("result", is(42));

        get(id).body("state", is("ACTIVE")).body("containerId", not(first));
        assertThat(containersOf(id)).hasSize(1);
        uninstallQuietly(id);
    }

    /** The runtime's own limit: maxExecutionTimeMs (2 s) + 1 s, before the host's activation timeout (6 s in tests). */
    @Test
    void shouldEndAModuleThatSpinsInActivateFromInsideTheRuntime() {
        String id = "wasm-spin-activate";
        install(TestBundle.fixture("echo-wasm", id).manifest(m -> m.put("main", "spin-activate.wasm")).tarGz())
                .statusCode(201);

        activate(id).statusCode(502).body("error", is("activation_failed"));

        get(id).body("state", is("FAILED")).body("failureReason",
                is("timeout: activate ran past 3000 ms; the module instance was discarded"));
        assertThat(containersOf(id)).isEmpty();
        uninstall(id).statusCode(204);
    }

    @Test
    void shouldMarkThePluginFailedWithTheStatusTheModuleExitsWith() {
        String id = installAndActivate(TestBundle.fixture("echo-wasm", "wasm-exit"));

        action(id, "{\"type\":\"exit\",\"payload\":3}").statusCode(502);

        awaitState(id, "FAILED", 10).body("failureReason", is("exited:3")).body("containerId", nullValue());
        assertThat(containersOf(id)).isEmpty();
        uninstallQuietly(id);
    }

    @Test
    void shouldFailMemoryGrowthPastTheCapInsideTheModule() {
        String id = installAndActivate(TestBundle.fixture("echo-wasm", "wasm-grow")
                .manifest(m -> m.with("resourceRequirements").put("maxMemoryMB", SMALL_MEMORY_MB)));

        // memory.grow answers the old size in pages, or -1
        action(id, "{\"type\":\"grow\",\"payload\":100}").statusCode(200).body("result", is(2));
        action(id, "{\"type\":\"grow\",\"payload\":700}").statusCode(200).body("result", is(-1));
        action(id, "{\"type\":\"grow\",\"payload\":600}").statusCode(200).body("result", is(102));
        action(id, "{\"type\":\"grow\",\"payload\":100}").statusCode(200).body("result", is(-1));
        String container = get(id).extract().path("containerId");
        // every page up to the cap written: the runtime's reserve holds, the container is not OOM-killed
        action(id, "{\"type\":\"fill\"}").statusCode(200).body("result", is(768));
        action(id, "{\"type\":\"echo\",\"payload\":\"fine\"}").statusCode(200).body("result", is("fine"));

        get(id).body("state", is("ACTIVE")).body("containerId", is(container));
        uninstallQuietly(id);
    }

    @Test
    void shouldRefuseAtActivationAModuleThatImportsWhatTheHostDoesNotProvide() {
        String id = "wasm-import";
        install(TestBundle.fixture("echo-wasm", id).manifest(m -> m.put("main", "unknown-import.wasm")).tarGz())
                .statusCode(201);

        activate(id).statusCode(502).body("error", is("activation_failed"))
                .body("message", containsString("module imports logomesh.foo which this host does not provide"));

        get(id).body("state", is("FAILED"))
                .body("failureReason", is("load_failed: module imports logomesh.foo which this host does not provide"));
        assertThat(containersOf(id)).isEmpty();
        uninstall(id).statusCode(204);
    }

    @Test
    void shouldRefuseAtActivationAModuleDeclaringMoreMemoryThanItsCap() {
        String id = "wasm-bigmem";
        install(TestBundle.fixture("echo-wasm", id).manifest(m -> m.put("main", "big-memory.wasm")).tarGz())
                .statusCode(201);

        activate(id).statusCode(502).body("error", is("activation_failed"));

        get(id).body("state", is("FAILED")).body("failureReason",
                is("load_failed: module declares a memory maximum of 256 MiB, above its cap of 80 MiB (from maxMemoryMB)"));
        uninstall(id).statusCode(204);
    }

    @Test
    void shouldRefuseAFileThatIsNotWebAssemblyAtInstall() {
        install(TestBundle.fixture("echo-wasm", "wasm-text").file("plugin.wasm", "(module)").tarGz())
                .statusCode(400)
                .body("errors[0].path", is("/main"))
                .body("errors[0].message", containsString("'plugin.wasm' is not a WebAssembly binary module"));
        get("wasm-text").statusCode(404);
    }

    @Test
    void shouldRefuseAMalformedModuleAtActivationWithTheCompilersMessage() {
        String id = "wasm-malformed";
        // the right header, then a type section that is not one
        install(TestBundle.fixture("echo-wasm", id).file("plugin.wasm", "\0asm\1\0\0\0\1\5garbage").tarGz())
                .statusCode(201);

        activate(id).statusCode(502).body("error", is("activation_failed"));

        get(id).body("state", is("FAILED"))
                .body("failureReason", containsString("load_failed: plugin.wasm is not a valid WebAssembly module"));
        uninstall(id).statusCode(204);
    }

    @Test
    void shouldDenyWasiFileAccessWithoutThePermissionAndConfineItToDataWithIt() {
        String without = installAndActivate(TestBundle.fixture("echo-wasm", "wasm-nofs"));
        String with = installAndActivate(TestBundle.fixture("echo-wasm", "wasm-fs")
                .manifest(m -> m.with("resourceRequirements").put("fileSystemAccess", true)));

        // WASI errno 8 = EBADF: there is no preopened directory to open a file in
        action(without, "{\"type\":\"write\"}").statusCode(200).body("result", is(8));
        action(without, "{\"type\":\"read\"}").statusCode(200).body("result", is(-8));

        action(with, "{\"type\":\"write\"}").statusCode(200).body("result", is(0));
        action(with, "{\"type\":\"read\"}").statusCode(200).body("result", is(15));
        // errno 76 = ENOTCAPABLE: ../etc/passwd lies outside the preopened /data
        action(with, "{\"type\":\"escape\"}").statusCode(200).body("result", is(76));
        Path written = dataFolder.pluginsRoot().resolve(with).resolve("data/note.txt");
        assertThat(written).hasContent("hello from wasm");

        uninstallQuietly(without);
        uninstallQuietly(with);
    }

    @Test
    void shouldServeHostCallsAndLetTheModuleSeeTheHostsRefusals() {
        String id = installAndActivate(TestBundle.fixture("echo-wasm", "wasm-calls"));

        action(id, "{\"type\":\"usage\"}").statusCode(200).body("success", is(true))
                .body("result.pluginId", is(id));
        action(id, "{\"type\":\"send\",\"payload\":{\"type\":\"greet\",\"data\":{\"name\":\"Ada\"}}}")
                .statusCode(200).body("success", is(false)).body("error", matchesPattern("[a-z_]+: .+"));
        action(id, "{\"type\":\"log\"}").statusCode(200).body("result.ok", is(true));
        action(id, "{\"type\":\"echo\",\"payload\":1}").statusCode(200).body("result", is(1));
        uninstallQuietly(id);
    }
}
