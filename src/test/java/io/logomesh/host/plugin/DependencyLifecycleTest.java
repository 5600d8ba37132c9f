package io.logomesh.host.plugin;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.logomesh.host.support.HostTestResource;
import io.logomesh.host.support.TestBundle;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.logomesh.host.support.Api.activate;
import static io.logomesh.host.support.Api.api;
import static io.logomesh.host.support.Api.deactivate;
import static io.logomesh.host.support.Api.get;
import static io.logomesh.host.support.Api.install;
import static io.logomesh.host.support.Api.uninstall;
import static io.logomesh.host.support.Api.uninstallQuietly;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

/** Dependencies between real plugins (B in Python depends on A in Node) and version compatibility, through REST. */
@QuarkusTest
@WithTestResource(HostTestResource.class)
class DependencyLifecycleTest {

    private static TestBundle dependingOn(String fixture, String id, String on, String range) {
        return TestBundle.fixture(fixture, id).manifest(m -> {
            m.putArray("dependencies").addObject().put("id", on).put("version", range);
        });
    }

    /** Seq of the lifecycle record where {@code id} reached {@code to}, the last such one. */
    private static long seqOf(String id, String to) {
        List<Map<String, Object>> records = api().get("/api/v1/audit?type=lifecycle&limit=1000&pluginId=" + id)
                .then().statusCode(200).extract().jsonPath().getList("$");
        long seq = -1;
        for (Map<String, Object> r : records) {
            if (to.equals(((Map<?, ?>) r.get("details")).get("to"))) {
                seq = ((Number) r.get("seq")).longValue();
            }
        }
        assertThat(seq).as(id + " reached " + to).isPositive();
        return seq;
    }

    @Test
    void shouldActivateAndDeactivateInDependencyOrderAndRefuseOtherwise() {
        String a = "aud-dep-a";
        String b = "aud-dep-b";
        try {
            install(dependingOn("echo-python", b, a, "^1.0.0").tarGz()).statusCode(201);
            activate(b).statusCode(409).body("error", is("dependency_missing"))
                    .body("message", allOf(containsString(a), containsString("not installed")));

            install(TestBundle.fixture("echo-node", a).tarGz()).statusCode(201);
            activate(b).statusCode(409).body("error", is("dependency_inactive"))
                    .body("message", allOf(containsString(a), containsString("?cascade=true")));
            get(b).body("state", is("INSTALLED"));

            api().post("/api/v1/plugins/{id}/activate?cascade=true", b).then().statusCode(200)
                    .body("state", is("ACTIVE"));
            get(a).body("state", is("ACTIVE"));
            assertThat(seqOf(a, "ACTIVE")).isLessThan(seqOf(b, "STARTING"));

            deactivate(a).statusCode(409).body("error", is("dependents_active"))
                    .body("message", allOf(containsString(b), containsString("?cascade=true")));
            get(a).body("state", is("ACTIVE"));
            api().post("/api/v1/plugins/{id}/deactivate?cascade=maybe", a).then().statusCode(400)
                    .body("error", is("invalid_request"));

            api().post("/api/v1/plugins/{id}/deactivate?cascade=true", a).then().statusCode(200)
                    .body("state", is("INACTIVE"));
            get(b).body("state", is("INACTIVE"));
            assertThat(seqOf(b, "INACTIVE")).isLessThan(seqOf(a, "STOPPING"));

            uninstall(a).statusCode(409).body("error", is("dependents_installed")).body("message", containsString(b));
            get(a).body("state", is("INACTIVE"));
            uninstall(b).statusCode(204);
            uninstall(a).statusCode(204);
        } finally {
            uninstallQuietly(b);
            uninstallQuietly(a);
        }
    }

    @Test
    void shouldNameTheInstalledVersionAndTheRequiredRangeOnAConflict() {
        String a = "aud-dep-base";
        String c = "aud-dep-newer";
        try {
            install(TestBundle.fixture("echo-node", a).tarGz()).statusCode(201);
            install(dependingOn("echo-node", c, a, "^2.0.0").tarGz()).statusCode(201);
            api().post("/api/v1/plugins/{id}/activate?cascade=true", c).then().statusCode(409)
                    .body("error", is("dependency_conflict"))
                    .body("message", allOf(containsString("^2.0.0"), containsString("1.0.0")));
            get(a).body("state", is("INSTALLED"));
        } finally {
            uninstallQuietly(c);
            uninstallQuietly(a);
        }
    }

    @Test
    void shouldRejectACycleAtInstall() {
        String d = "aud-cyc-d";
        String e = "aud-cyc-e";
        try {
            install(dependingOn("echo-node", d, e, "*").tarGz()).statusCode(201);
            install(dependingOn("echo-node", e, d, "^1").tarGz()).statusCode(400)
                    .body("error", is("manifest_invalid"))
                    .body("errors[0].path", is("/dependencies"))
                    .body("errors[0].message", containsString(e + " -> " + d + " -> " + e));
            get(e).statusCode(404);
        } finally {
            uninstallQuietly(d);
        }
    }

    @Test
    void shouldRefuseIncompatibleApiAndEngineVersionsAtInstall() {
        refused(m -> m.put("apiVersion", "2.0.0"), "/apiVersion", "major versions differ");
        refused(m -> m.put("apiVersion", "1.1.0"), "/apiVersion", "newer than this host's API 1.0.0");
        refused(m -> m.put("engineVersion", "99.0.0"), "/engineVersion", "needs engine 99.0.0");
        install(TestBundle.fixture("echo-node", "aud-compat-ok").manifest(m -> m.put("apiVersion", "1.0.0")
                .put("engineVersion", "0.9.0")).tarGz()).statusCode(201);
        uninstall("aud-compat-ok").statusCode(204);
    }

    private static void refused(java.util.function.Consumer<ObjectNode> change, String path, String reason) {
        install(TestBundle.fixture("echo-node", "aud-compat").manifest(change).tarGz()).statusCode(400)
                .body("error", is("manifest_invalid")).body("errors[0].path", is(path))
                .body("errors[0].message", containsString(reason));
        get("aud-compat").statusCode(404);
    }
}
