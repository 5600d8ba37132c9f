package io.logomesh.host.system;

import com.github.dockerjava.api.model.Info;
import io.logomesh.host.support.Docker;
import io.logomesh.host.support.HostTestResource;
import io.logomesh.host.support.TestBundle;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import static io.logomesh.host.support.Api.api;
import static io.logomesh.host.support.Api.install;
import static io.logomesh.host.support.Api.uninstallQuietly;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code GET /api/v1/system} against the real engine, compared with what the engine tells the test directly. */
@QuarkusTest
@WithTestResource(HostTestResource.class)
class SystemResourceTest {

    @Test
    void shouldDescribeTheEngineAsTheEngineDescribesItself() {
        Info info = Docker.client().infoCmd().exec();
        String apiVersion = Docker.client().versionCmd().exec().getApiVersion();

        JsonPath system = api().get("/api/v1/system").then().statusCode(200).extract().jsonPath();

        assertThat(system.getBoolean("engine.available")).isTrue();
        assertThat(system.getString("engine.version")).isEqualTo(info.getServerVersion());
        assertThat(system.getString("engine.apiVersion")).isEqualTo(apiVersion);
        assertThat(system.getString("engine.os")).isEqualTo(info.getOperatingSystem());
        assertThat(system.getString("engine.cgroupVersion")).isEqualTo(info.getCGroupVersion()).isIn("1", "2");
        assertThat(system.getString("host.id")).isNotBlank();
        assertThat(system.getString("host.apiVersion")).isEqualTo("1.0.0");
        assertThat(system.getString("host.startedAt")).isNotBlank();
        assertThat(system.getMap("").containsKey("budget")).isTrue();
    }

    @Test
    void shouldTellHowPluginDataFoldersAreBounded() {
        JsonPath system = api().get("/api/v1/system").then().statusCode(200).extract().jsonPath();

        // make test runs as root with loop devices, so the default (auto) mounts an image per plugin
        assertThat(system.getString("dataVolumes.mode")).isEqualTo("image");
        assertThat(system.getInt("dataVolumes.sizeMb")).isEqualTo(64);
        assertThat(system.getString("dataVolumes.reason")).isNull();
    }

    @Test
    void shouldTellWhichRuntimeImagesArePresent() {
        JsonPath system = api().get("/api/v1/system").then().statusCode(200).extract().jsonPath();

        for (String runtime : new String[] {"nodejs", "python", "webassembly"}) {
            String image = system.getString("images." + runtime + ".image");
            boolean present = !Docker.client().listImagesCmd().withImageNameFilter(image).exec().isEmpty();
            assertThat(system.getBoolean("images." + runtime + ".present")).as(runtime).isEqualTo(present);
        }
        assertThat(system.getBoolean("images.nodejs.present")).isTrue();
    }

    @Test
    void shouldCountPluginsByState() {
        TestBundle bundle = TestBundle.fixture("echo-node", "ops-system-count");
        try {
            JsonPath before = api().get("/api/v1/system").then().statusCode(200).extract().jsonPath();
            install(bundle.tarGz()).statusCode(201);
            JsonPath after = api().get("/api/v1/system").then().statusCode(200).extract().jsonPath();

            assertThat(after.getInt("plugins.total")).isEqualTo(before.getInt("plugins.total") + 1);
            assertThat(after.getInt("plugins.byState.INSTALLED"))
                    .isEqualTo(before.getInt("plugins.byState.INSTALLED") + 1);
            assertThat(after.getMap("plugins.byState")).containsKeys("ACTIVE", "FAILED", "INACTIVE");
        } finally {
            uninstallQuietly(bundle.id());
        }
    }

    @Test
    void shouldNeedTheToken() {
        io.restassured.RestAssured.get("/api/v1/system").then().statusCode(401);
    }
}
