package io.logomesh.host.permission;

import io.logomesh.host.support.HostTestResource;
import io.logomesh.host.support.TestBundle;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import static io.logomesh.host.support.Api.action;
import static io.logomesh.host.support.Api.installAndActivate;
import static io.logomesh.host.support.Api.uninstallQuietly;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

/** Defence in depth inside the runtimes by securityLevel (PermissionLevels, the shims' guards). */
@QuarkusTest
@WithTestResource(HostTestResource.class)
class RuntimeGuardTest {

    @Test
    void shouldRefuseChildProcessToAMinimalNodePlugin() {
        String id = installAndActivate(TestBundle.fixture("msg-node", "msg-g-node-min")
                .manifest(m -> m.put("securityLevel", "minimal")));
        action(id, "{\"type\":\"require\",\"payload\":{\"name\":\"child_process\"}}").statusCode(200)
                .body("result.loaded", is(false)).body("result.code", is("ERR_LOGOMESH_MODULE_REFUSED"))
                .body("result.error", containsString("not available to plugins at securityLevel minimal"));
        action(id, "{\"type\":\"require\",\"payload\":{\"name\":\"node:net\"}}").statusCode(200)
                .body("result.loaded", is(false));
        action(id, "{\"type\":\"spawn\"}").statusCode(200).body("result.spawned", is(false));
        action(id, "{\"type\":\"require\",\"payload\":{\"name\":\"node:path\"}}").statusCode(200)
                .body("result.loaded", is(true));
        uninstallQuietly(id);
    }

    @Test
    void shouldLetAStandardNodePluginStartAChildProcess() {
        String id = installAndActivate(TestBundle.fixture("msg-node", "msg-g-node-std"));
        action(id, "{\"type\":\"spawn\"}").statusCode(200).body("result.spawned", is(true)).body("result.out", is("hi"));
        uninstallQuietly(id);
    }

    @Test
    void shouldRefuseSubprocessToAMinimalPythonPlugin() {
        String id = installAndActivate(TestBundle.fixture("msg-python", "msg-g-py-min")
                .manifest(m -> m.put("securityLevel", "minimal")));
        action(id, "{\"type\":\"import\",\"payload\":{\"name\":\"subprocess\"}}").statusCode(200)
                .body("result.loaded", is(false))
                .body("result.error", containsString("not available to plugins at securityLevel minimal"));
        action(id, "{\"type\":\"import\",\"payload\":{\"name\":\"ctypes\"}}").statusCode(200)
                .body("result.loaded", is(false));
        action(id, "{\"type\":\"spawn\"}").statusCode(200).body("result.spawned", is(false));
        action(id, "{\"type\":\"system\"}").statusCode(200).body("result.ran", is(false))
                .body("result.error", containsString("PermissionError"));
        action(id, "{\"type\":\"import\",\"payload\":{\"name\":\"json\"}}").statusCode(200)
                .body("result.loaded", is(true));
        uninstallQuietly(id);
    }

    @Test
    void shouldLetAStandardPythonPluginStartAChildProcess() {
        String id = installAndActivate(TestBundle.fixture("msg-python", "msg-g-py-std"));
        action(id, "{\"type\":\"spawn\"}").statusCode(200).body("result.spawned", is(true)).body("result.out", is("hi"));
        uninstallQuietly(id);
    }
}
