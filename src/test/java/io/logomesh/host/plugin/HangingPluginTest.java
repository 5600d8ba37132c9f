package io.logomesh.host.plugin;

import io.logomesh.host.support.HostTestResource;
import io.logomesh.host.support.TestBundle;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import static io.logomesh.host.support.Api.activate;
import static io.logomesh.host.support.Api.deactivate;
import static io.logomesh.host.support.Api.get;
import static io.logomesh.host.support.Api.install;
import static io.logomesh.host.support.Api.installAndActivate;
import static io.logomesh.host.support.Api.uninstall;
import static io.logomesh.host.support.Docker.containersOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.is;

/** Plugins that never answer a lifecycle call are bounded by a timeout, then killed (test profile: 6 s / 2 s). */
@QuarkusTest
@WithTestResource(HostTestResource.class)
class HangingPluginTest {

    private static final String NEVER = "new Promise(() => {})";

    @Test
    void shouldFailActivationWithTimeoutWhenActivateNeverAnswers() {
        install(TestBundle.fixture("echo-node", "hang-activate")
                .file("index.js", "module.exports = { activate: () => " + NEVER + ", deactivate() {}, execute() {} };")
                .tarGz()).statusCode(201);

        activate("hang-activate").statusCode(502).body("error", is("activation_failed"));

        get("hang-activate").body("state", is("FAILED")).body("failureReason", is("timeout"));
        assertThat(containersOf("hang-activate")).isEmpty();
        uninstall("hang-activate").statusCode(204);
    }

    @Test
    void shouldStopAPluginWhoseDeactivateNeverAnswers() {
        installAndActivate(TestBundle.fixture("echo-python", "hang-deactivate").file("main.py", """
                import asyncio
                def activate(ctx): pass
                async def deactivate(ctx): await asyncio.Event().wait()
                def execute(action, ctx): return action["payload"]
                """));

        deactivate("hang-deactivate").statusCode(200).body("state", is("INACTIVE"));

        assertThat(containersOf("hang-deactivate")).isEmpty();
        uninstall("hang-deactivate").statusCode(204);
    }
}
