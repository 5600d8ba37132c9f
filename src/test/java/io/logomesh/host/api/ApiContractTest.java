package io.logomesh.host.api;

import io.logomesh.host.support.HostTestResource;
import io.logomesh.host.support.TestBundle;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Random;

import static io.logomesh.host.support.Api.api;
import static io.logomesh.host.support.Api.deactivate;
import static io.logomesh.host.support.Api.install;
import static io.logomesh.host.support.Api.uninstall;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;

/** The REST contract: auth, error shapes and status codes, without running any plugin. */
@QuarkusTest
@WithTestResource(HostTestResource.class)
class ApiContractTest {

    @Test
    void shouldRefuseCallsWithoutTheToken() {
        RestAssured.get("/api/v1/plugins").then().statusCode(401)
                .header("WWW-Authenticate", containsString("Bearer"))
                .body("error", is("unauthorized")).body("message", notNullValue());
        RestAssured.given().header("Authorization", "Bearer wrong").get("/api/v1/plugins").then()
                .statusCode(401).body("message", is("invalid bearer token"));
    }

    @Test
    void shouldServeHealthWithoutTheToken() {
        RestAssured.get("/q/health/ready").then().statusCode(200).body("status", is("UP"));
    }

    @Test
    void shouldListEveryManifestViolationAtOnce() {
        byte[] bundle = TestBundle.fixture("echo-node", "Bad_Id!")
                .manifest(m -> {
                    m.put("version", "one");
                    m.put("runtime", "cobol");
                    m.remove("author");
                    m.with("resourceRequirements").put("maxMemoryMB", 999999);
                })
                .tarGz();
        install(bundle).statusCode(400)
                .body("error", is("manifest_invalid"))
                .body("errors.size()", greaterThanOrEqualTo(5))
                .body("errors.path", hasItems("/id", "/version", "/runtime", "/resourceRequirements/maxMemoryMB"))
                .body("errors.message", everyItem(not(containsString("com.networknt"))));
    }

    @Test
    void shouldRefuseMissingMainFile() {
        byte[] bundle = TestBundle.fixture("echo-node", "no-main")
                .manifest(m -> m.put("main", "missing.js")).tarGz();
        install(bundle).statusCode(400).body("errors.path", hasItems("/main"));
    }

    @Test
    void shouldRefuseBundleThatEscapesItsFolder() throws IOException {
        install(tarGz("../escape.js", "x")).statusCode(400).body("error", is("bundle_invalid"));
        install("not a tarball".getBytes(StandardCharsets.UTF_8)).statusCode(400)
                .body("error", is("bundle_invalid"));
    }

    @Test
    void shouldRefuseBundleOverTheSizeCapWith413() {
        byte[] noise = new byte[2 * 1024 * 1024];
        new Random(7).nextBytes(noise);
        install(noise).statusCode(413).body("error", is("bundle_too_large"));
    }

    @Test
    void shouldRefuseInstallingTheSameIdTwice() {
        byte[] bundle = TestBundle.fixture("echo-python", "twice").tarGz();
        install(bundle).statusCode(201);
        install(bundle).statusCode(409).body("error", is("plugin_already_installed"));
        uninstall("twice").statusCode(204);
    }

    @Test
    void shouldRefuseIllegalTransitionWithTheCurrentState() {
        install(TestBundle.fixture("echo-node", "not-running").tarGz()).statusCode(201);
        deactivate("not-running").statusCode(409).body("error", is("illegal_transition"))
                .body("state", is("INSTALLED"));
        uninstall("not-running").statusCode(204);
    }

    @Test
    void shouldAnswerUnknownThingsWithJsonErrors() {
        api().get("/api/v1/plugins/nope").then().statusCode(404).body("error", is("plugin_not_found"));
        api().post("/api/v1/plugins/nope/activate").then().statusCode(404);
        api().get("/api/v1/nothing-here").then().statusCode(404).body("$", hasKey("error"));
        api().contentType(ContentType.JSON).body("{not json").post("/api/v1/plugins/nope/actions").then()
                .statusCode(400).body("error", is("invalid_json"))
                .body("message", not(containsString("Exception")));
        api().contentType(ContentType.JSON).body("[1]").post("/api/v1/plugins/nope/actions").then()
                .statusCode(400).body("error", is("invalid_json"))
                .body("message", not(containsString("io.logomesh"))).body("message", not(containsString("`")));
        api().put("/api/v1/plugins").then().statusCode(405).body("error", is("method_not_allowed"));
        api().contentType(ContentType.TEXT).body("x").post("/api/v1/plugins").then().statusCode(415)
                .body("error", is("unsupported_media_type"));
        api().contentType(ContentType.JSON).body("{}").post("/api/v1/plugins/nope/actions").then()
                .statusCode(400).body("error", is("invalid_request"));
    }

    @Test
    void shouldServeTheManifestSchema() {
        api().get("/api/v1/schema/manifest").then().statusCode(200)
                .body("$schema", containsString("draft-07"))
                .body("properties", hasKey("permissions"))
                .body("required", hasItems("id", "runtime", "securityLevel"));
    }

    private static byte[] tarGz(String name, String content) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GzipCompressorOutputStream(bytes))) {
            byte[] data = content.getBytes(StandardCharsets.UTF_8);
            TarArchiveEntry entry = new TarArchiveEntry(name, true);
            entry.setSize(data.length);
            tar.putArchiveEntry(entry);
            tar.write(data);
            tar.closeArchiveEntry();
        }
        return bytes.toByteArray();
    }
}
