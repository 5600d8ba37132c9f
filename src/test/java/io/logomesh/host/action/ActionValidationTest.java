package io.logomesh.host.action;

import io.logomesh.host.messaging.AuditRecorder;
import io.logomesh.host.support.HostTestResource;
import io.logomesh.host.support.TestBundle;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import static io.logomesh.host.support.Api.action;
import static io.logomesh.host.support.Api.install;
import static io.logomesh.host.support.Api.installAndActivate;
import static io.logomesh.host.support.Api.uninstallQuietly;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;

/** Declared actions are checked by the host before the plugin sees them (the seed's validateAction). */
@QuarkusTest
@WithTestResource(HostTestResource.class)
class ActionValidationTest {

    @Inject
    AuditRecorder audit;

    static final String ACTIONS = """
            {"file_system": {"payload": {"type": "object", "required": ["operation", "path"],
                               "properties": {"operation": {"enum": ["read", "write", "delete"]},
                                              "path": {"type": "string"}}},
                             "requires": ["filesystem"]},
             "echo": {"payload": {"type": "object", "properties": {"n": {"type": "integer"}}}}}
            """;

    private static TestBundle withActions(String id) {
        return TestBundle.fixture("msg-node", id).manifest(m -> {
            try {
                m.set("actions", new com.fasterxml.jackson.databind.ObjectMapper().readTree(ACTIONS));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }

    @Test
    void shouldDenyTheSeedsFileSystemDeleteWithoutTheFilesystemPermission() {
        String id = installAndActivate(withActions("msg-a-nofs"));
        action(id, "{\"type\":\"file_system\",\"payload\":{\"operation\":\"delete\",\"path\":\"/system/critical-file\"}}")
                .statusCode(403).body("error", is("action_denied"))
                .body("message", startsWith("action denied: 'file_system' requires the permission 'filesystem'"));
        assertThat(audit.of("action", id)).anySatisfy(e -> {
            assertThat(e.outcome()).isEqualTo("denied");
            assertThat(e.detail("actionType").asText()).isEqualTo("file_system");
        });
        uninstallQuietly(id);
    }

    @Test
    void shouldRefuseUndeclaredTypesAndInvalidPayloadsButPassValidOnes() {
        String id = installAndActivate(withActions("msg-a-types"));
        action(id, "{\"type\":\"spawn\"}").statusCode(400).body("error", is("invalid_action"))
                .body("message", startsWith("action denied: plugin msg-a-types does not declare action type 'spawn'"));
        action(id, "{\"type\":\"echo\",\"payload\":{\"n\":\"seven\"}}").statusCode(400)
                .body("error", is("invalid_action")).body("errors.path", hasItem("/n"));
        action(id, "{\"type\":\"echo\",\"payload\":{\"n\":7}}").statusCode(200)
                .body("success", is(true)).body("result.n", is(7));
        // two refusals; the action that passed is recorded by the audit trail's ActionAuditor as outcome ok
        assertThat(audit.of("action", id)).filteredOn(e -> e.outcome().equals("denied")).hasSize(2);
        assertThat(audit.of("action", id)).filteredOn(e -> e.outcome().equals("ok")).hasSize(1);
        uninstallQuietly(id);
    }

    @Test
    void shouldLetTheActionThroughWhenThePermissionIsHeld() {
        String id = installAndActivate(withActions("msg-a-fs").manifest(m -> m.putArray("permissions").add("filesystem")));
        // reaches the plugin, which has no such action: a plugin failure, not a refusal
        action(id, "{\"type\":\"file_system\",\"payload\":{\"operation\":\"read\",\"path\":\"/data/x\"}}")
                .statusCode(200).body("success", is(false));
        uninstallQuietly(id);
    }

    @Test
    void shouldRejectAManifestWhosePayloadSchemaIsBroken() {
        install(TestBundle.fixture("msg-node", "msg-a-bad").manifest(m -> m.putObject("actions").putObject("x")
                .putObject("payload").put("type", "no-such-type")).tarGz())
                .statusCode(400).body("errors.path", hasItem("/actions/x/payload"));
    }
}
