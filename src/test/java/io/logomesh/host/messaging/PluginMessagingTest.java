package io.logomesh.host.messaging;

import io.logomesh.host.audit.AuditEvent;
import io.logomesh.host.support.HostTestResource;
import io.logomesh.host.support.TestBundle;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.List;

import static io.logomesh.host.support.Api.action;
import static io.logomesh.host.support.Api.installAndActivate;
import static io.logomesh.host.support.Api.uninstallQuietly;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;

/** Plugin-to-plugin messages and events through the host, between real Node.js and Python containers. */
@QuarkusTest
@WithTestResource(HostTestResource.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PluginMessagingTest {

    static final String NODE = "msg-m-node";
    static final String PY = "msg-m-py";
    static final String STRANGER = "msg-m-stranger";
    static final String PICKY = "msg-m-picky";
    static final String SLOW = "msg-m-slow";
    static final String IDLE = "msg-m-idle";

    @Inject
    AuditRecorder audit;

    private boolean installed;
    private int port;

    /** Installs the plugins once (REST is not reachable yet in a PER_CLASS @BeforeAll: the port comes later). */
    @BeforeEach
    void installPlugins() {
        if (installed) {
            return;
        }
        installed = true;
        port = io.restassured.RestAssured.port;
        installAndActivate(TestBundle.fixture("msg-node", NODE).manifest(m -> m.putArray("permissions")
                .add("messaging:" + PY).add("messaging:" + PICKY).add("messaging:msg-m-nobody")
                .add("messaging:" + SLOW).add("messaging:" + IDLE)
                .add("events:publish:test.*")));
        installAndActivate(TestBundle.fixture("msg-python", PY).manifest(m -> m.putArray("permissions")
                .add("messaging:" + NODE).add("events:subscribe:test.*")));
        installAndActivate(TestBundle.fixture("msg-node", STRANGER).manifest(m -> m.putArray("permissions")
                .add("events:subscribe:other.*")));
        installAndActivate(TestBundle.fixture("msg-node", PICKY).manifest(m -> m.putArray("acceptMessagesFrom")
                .add(PY)));
        installAndActivate(TestBundle.fixture("msg-node", SLOW).manifest(m -> m.with("resourceRequirements")
                .put("maxExecutionTimeMs", 500)));
        io.logomesh.host.support.Api.install(TestBundle.fixture("msg-node", IDLE).tarGz()).statusCode(201);
    }

    @AfterAll
    void removePlugins() {
        io.restassured.RestAssured.port = port; // Quarkus resets it after the last test
        List.of(NODE, PY, STRANGER, PICKY, SLOW, IDLE).forEach(id -> uninstallQuietly(id));
    }

    @Test
    void shouldCarryARequestFromNodeToPythonAndItsReplyBack() {
        action(NODE, send(PY, "ping", "\"hello\"")).statusCode(200)
                .body("success", is(true))
                .body("result.pong", is("hello"))
                .body("result.from", is(NODE))
                .body("result.by", is(PY));
        assertThat(audit.of("message", NODE)).anySatisfy(e -> {
            assertThat(e.outcome()).isEqualTo("delivered");
            assertThat(e.detail("to").asText()).isEqualTo(PY);
        });
    }

    @Test
    void shouldCarryARequestFromPythonToNodeAndItsReplyBack() {
        action(PY, send(NODE, "ping", "{\"n\":1}")).statusCode(200)
                .body("success", is(true))
                .body("result.pong.n", is(1))
                .body("result.from", is(PY))
                .body("result.by", is(NODE));
    }

    @Test
    void shouldRefuseAndAuditAMessageToAnUndeclaredTarget() {
        action(STRANGER, sendCatch(PY, "ping")).statusCode(200)
                .body("result.code", is("denied"))
                .body("result.message", containsString("messaging:" + PY));
        List<AuditEvent> denied = audit.of("message", STRANGER);
        assertThat(denied).anySatisfy(e -> {
            assertThat(e.outcome()).isEqualTo("denied");
            assertThat(e.actor()).isEqualTo(AuditEvent.plugin(STRANGER));
            assertThat(e.detail("to").asText()).isEqualTo(PY);
        });
    }

    @Test
    void shouldLetAReceiverRestrictItsSenders() {
        action(NODE, sendCatch(PICKY, "ping")).statusCode(200)
                .body("result.code", is("denied"))
                .body("result.message", containsString("acceptMessagesFrom"));
    }

    @Test
    void shouldNameMissingPluginsAndHandlers() {
        action(NODE, sendCatch("msg-m-nobody", "ping")).statusCode(200).body("result.code", is("not_found"));
        action(NODE, sendCatch(PY, "no-such-type")).statusCode(200).body("result.code", is("no_handler"));
    }

    @Test
    void shouldTimeOutASlowReceiverAndRefuseAnInactiveOne() {
        action(NODE, "{\"type\":\"sendCatch\",\"payload\":{\"target\":\"" + SLOW
                + "\",\"message\":{\"type\":\"slow\",\"data\":{\"ms\":3000}}}}").statusCode(200)
                .body("result.code", is("timeout")).body("result.message", containsString("500 ms"));
        action(NODE, sendCatch(IDLE, "ping")).statusCode(200).body("result.code", is("not_active"));
        action(NODE, send(SLOW, "ping", "2")).statusCode(200).body("result.pong", is(2)); // still fine afterwards
    }

    @Test
    void shouldDeliverEventsOnlyToSubscribedAndPermittedPlugins() {
        // PY holds events:subscribe:test.* and listens; STRANGER listens too but may not receive test.*
        action(PY, "{\"type\":\"listen\",\"payload\":{\"topic\":\"test.created\"}}").statusCode(200);
        action(STRANGER, "{\"type\":\"listen\",\"payload\":{\"topic\":\"test.created\"}}").statusCode(200);

        action(NODE, "{\"type\":\"emit\",\"payload\":{\"topic\":\"test.created\",\"data\":{\"k\":7}}}")
                .statusCode(200).body("result.delivered", is(1));

        awaitEvents(PY, 1);
        action(PY, "{\"type\":\"events\"}").body("result", hasSize(1))
                .body("result[0].topic", is("test.created")).body("result[0].data.k", is(7))
                .body("result[0].from", is(NODE));
        action(STRANGER, "{\"type\":\"events\"}").body("result", hasSize(0));
        // publishing needs events:publish:<topic>
        action(PY, "{\"type\":\"emit\",\"payload\":{\"topic\":\"test.created\"}}").statusCode(200)
                .body("success", is(false)).body("error", containsString("events:publish:test.created"));
    }

    private static void awaitEvents(String id, int count) {
        for (int i = 0; i < 50; i++) {
            int seen = action(id, "{\"type\":\"events\"}").extract().path("result.size()");
            if (seen >= count) {
                return;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    static String send(String target, String type, String data) {
        return "{\"type\":\"send\",\"payload\":{\"target\":\"" + target + "\",\"message\":{\"type\":\"" + type
                + "\",\"data\":" + data + "}}}";
    }

    static String sendCatch(String target, String type) {
        return "{\"type\":\"sendCatch\",\"payload\":{\"target\":\"" + target + "\",\"message\":{\"type\":\"" + type
                + "\",\"data\":null}}}";
    }
}
