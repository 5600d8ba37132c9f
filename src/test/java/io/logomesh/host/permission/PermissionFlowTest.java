package io.logomesh.host.permission;

import io.logomesh.host.messaging.AuditRecorder;
import io.logomesh.host.support.HostTestResource;
import io.logomesh.host.support.ProbeListener;
import io.logomesh.host.support.TestBundle;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;

import static io.logomesh.host.support.Api.action;
import static io.logomesh.host.support.Api.api;
import static io.logomesh.host.support.Api.installAndActivate;
import static io.logomesh.host.support.Api.uninstallQuietly;
import static io.logomesh.host.support.Docker.bridgeGateway;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.notNullValue;

/** requestPermission at run time: granted at once, pending until an operator decides, refused by level. */
@QuarkusTest
@WithTestResource(HostTestResource.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PermissionFlowTest {

    @Inject
    io.logomesh.host.config.DataFolder data;

    @Inject
    AuditRecorder audit;

    private ProbeListener listener;

    @BeforeAll
    void listenOnTheHost() {
        listener = ProbeListener.open();
    }

    @AfterAll
    void stopListening() throws IOException {
        listener.close();
    }

    @Test
    void shouldGrantADeclaredPermissionAtOnce() {
        String id = installAndActivate(TestBundle.fixture("msg-node", "msg-p-declared")
                .manifest(m -> m.putArray("permissions").add("messaging:msg-p-other")));
        action(id, permission("messaging:msg-p-other")).statusCode(200)
                .body("result.status", is("granted")).body("result.permission", is("messaging:msg-p-other"));
        assertThat(audit.of("permission", id)).anySatisfy(e -> assertThat(e.outcome()).isEqualTo("granted"));
        uninstallQuietly(id);
    }

    @Test
    void shouldOpenTheEgressSocketOnlyAfterAnOperatorApprovesNetworkAndNeverGiveARoute() {
        String id = installAndActivate(TestBundle.fixture("msg-node", "msg-p-net"));
        String probe = "{\"type\":\"connect\",\"payload\":{\"host\":\"" + bridgeGateway() + "\",\"port\":"
                + listener.port() + "}}";
        action(id, probe).statusCode(200).body("result.connected", is(false));

        String requestId = action(id, permission("network")).statusCode(200)
                .body("result.status", is("pending")).body("result.requestId", notNullValue())
                .extract().path("result.requestId");
        api().get("/api/v1/permission-requests?status=pending").then().statusCode(200)
                .body("id", hasItem(requestId));
        action(id, probe).statusCode(200).body("result.connected", is(false)); // pending is not granted

        java.nio.file.Path egressSocket = data.ipcRoot().resolve(id).resolve("egress.sock");
        assertThat(egressSocket).doesNotExist();
        api().post("/api/v1/permission-requests/{rid}/approve", requestId).then().statusCode(200)
                .body("status", is("granted")).body("decidedBy", is("token:initial")).body("pluginId", is(id));
        // network is the egress proxy's socket, never a route: the direct probe still fails
        assertThat(egressSocket).exists();
        action(id, probe).statusCode(200).body("result.connected", is(false));
        action(id, permission("network")).statusCode(200).body("result.status", is("granted"));
        api().get("/api/v1/plugins/{id}/egress", id).then().statusCode(200).body("network", is(true))
                .body("socketOpen", is(true));

        api().post("/api/v1/permission-requests/{rid}/deny", requestId).then().statusCode(200)
                .body("status", is("denied"));
        assertThat(egressSocket).doesNotExist();
        action(id, probe).statusCode(200).body("result.connected", is(false));
        assertThat(audit.of("permission", id)).extracting(e -> e.outcome())
                .contains("pending", "granted", "applied", "denied", "revoked");
        uninstallQuietly(id);
    }

    @Test
    void shouldTellThePluginAnOperatorsDenial() {
        String id = installAndActivate(TestBundle.fixture("msg-python", "msg-p-deny"));
        String requestId = action(id, permission("resources:grant")).statusCode(200)
                .body("result.status", is("pending")).extract().path("result.requestId");
        api().queryParam("reason", "not today").post("/api/v1/permission-requests/{rid}/deny", requestId).then().statusCode(200)
                .body("status", is("denied")).body("reason", is("not today"));
        action(id, permission("resources:grant")).statusCode(200).body("result.status", is("denied"))
                .body("result.requestId", is(requestId));
        uninstallQuietly(id);
    }

    @Test
    void shouldRefuseNetworkToAMinimalPluginWithoutAskingAnOperator() {
        String id = installAndActivate(TestBundle.fixture("msg-python", "msg-p-minimal")
                .manifest(m -> m.put("securityLevel", "minimal")));
        action(id, permission("network")).statusCode(200).body("result.status", is("denied"))
                .body("result.reason", org.hamcrest.Matchers.containsString("minimal"));
        uninstallQuietly(id);
    }

    @Test
    void shouldAnswerClearErrorsForUnknownRequestsAndStatuses() {
        api().post("/api/v1/permission-requests/{rid}/approve", "nope").then().statusCode(404)
                .body("error", is("not_found"));
        api().get("/api/v1/permission-requests?status=maybe").then().statusCode(400);
    }

    private static String permission(String p) {
        return "{\"type\":\"permission\",\"payload\":{\"permission\":\"" + p + "\"}}";
    }
}
