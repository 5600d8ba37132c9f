package io.logomesh.host.api;

import io.logomesh.host.container.LogTail;
import io.logomesh.host.support.HostTestResource;
import io.logomesh.host.support.TestBundle;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import static io.logomesh.host.support.Api.action;
import static io.logomesh.host.support.Api.activate;
import static io.logomesh.host.support.Api.api;
import static io.logomesh.host.support.Api.install;
import static io.logomesh.host.support.Api.uninstall;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.is;

/** {@code GET /api/v1/plugins/{id}/logs?tail=N} against a real container. */
@QuarkusTest
@WithTestResource(HostTestResource.class)
class PluginLogsResourceTest {

    private static final String ID = "hx-logs-node";

    @Test
    void shouldServeTheLastLinesWithAMarkerAndAnswerErrorsAsJson() {
        install(TestBundle.hostile("output-flood-node").manifest(m -> m.put("id", ID)).tarGz()).statusCode(201);
        api().get("/api/v1/plugins/{id}/logs", ID).then().statusCode(200).body(is("")); // never ran

        activate(ID).statusCode(200);
        action(ID, "{\"type\":\"lines\",\"payload\":{\"mb\":1}}").statusCode(200).body("success", is(true));
        Response r = api().get("/api/v1/plugins/{id}/logs?tail=5", ID);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.contentType()).startsWith("text/plain");
        String[] lines = r.asString().split("\n");
        assertThat(lines).hasSize(6);
        assertThat(lines[0]).startsWith(LogTail.MARKER);
        assertThat(lines[5]).isEqualTo("x".repeat(99));

        api().get("/api/v1/plugins/{id}/logs?tail=abc", ID).then().statusCode(400).body("error", is("invalid_request"));
        api().get("/api/v1/plugins/{id}/logs?tail=0", ID).then().statusCode(400);
        api().get("/api/v1/plugins/{id}/logs", "hx-no-such-plugin").then().statusCode(404)
                .body("error", is("plugin_not_found"));
        uninstall(ID).statusCode(204);
    }
}
