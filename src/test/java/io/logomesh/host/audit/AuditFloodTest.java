package io.logomesh.host.audit;

import io.logomesh.host.support.HostTestResource;
import io.logomesh.host.support.TestBundle;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static io.logomesh.host.support.Api.action;
import static io.logomesh.host.support.Api.api;
import static io.logomesh.host.support.Api.installAndActivate;
import static io.logomesh.host.support.Api.uninstallQuietly;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.is;

/**
 * Issue 12, point 1, against a real host and a real plugin container: refusals a plugin (or an
 * unauthenticated caller) provokes as fast as it can cost the audit folder a bounded amount, the
 * rest is summarised, and the plugin is reported with an alert.
 */
@QuarkusTest
@WithTestResource(HostTestResource.class)
class AuditFloodTest {

    private static final long MIB = 1024 * 1024;

    private static Path auditDir() {
        return Path.of(ConfigProvider.getConfig().getValue("logomesh.data-dir", String.class), "audit");
    }

    private static long auditBytes() {
        api().get("/api/v1/audit/verify").then().statusCode(200).body("valid", is(true)); // everything queued is written
        try (Stream<Path> files = Files.list(auditDir())) {
            return files.mapToLong(p -> p.toFile().length()).sum();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<Map<String, Object>> records(String query) {
        return api().get("/api/v1/audit?limit=1000&" + query).then().statusCode(200).extract().jsonPath().getList("$");
    }

    /** The summaries of a source, waiting for the writer's next summary tick (logomesh.audit.summary-interval). */
    private static List<Map<String, Object>> summaries(String query, long expected) throws InterruptedException {
        List<Map<String, Object>> found = List.of();
        for (int i = 0; i < 60 && suppressed(found) < expected; i++) {
            Thread.sleep(500);
            found = records("type=audit&" + query).stream().filter(r -> "suppressed".equals(r.get("outcome"))).toList();
        }
        return found;
    }

    private static long suppressed(List<Map<String, Object>> summaries) {
        return summaries.stream().mapToLong(r -> ((Number) detail(r, "suppressed")).longValue()).sum();
    }

    private static Object detail(Map<String, Object> r, String key) {
        return ((Map<?, ?>) r.get("details")).get(key);
    }

    @Test
    void aPluginSendingTwoHundredHugeRefusedMessagesCostsTheTrailLittleAndIsReported() throws InterruptedException {
        String id = installAndActivate(TestBundle.fixture("audit-flood-node", "aud-flood-node"));
        try {
            long before = auditBytes();
            JsonPath result = action(id, "{\"type\":\"floodMessages\",\"payload\":{\"n\":200,\"size\":900000}}")
                    .statusCode(200).body("success", is(true)).extract().jsonPath();
            assertThat(result.getInt("result.codes.not_found")).as("every call refused").isEqualTo(200);

            List<Map<String, Object>> refused = records("pluginId=" + id + "&type=message");
            List<Map<String, Object>> summary = summaries("pluginId=" + id, 200 - refused.size());
            long grown = auditBytes() - before;
            System.out.printf("audit flood: 200 refused 900 KB messages grew the audit folder by %d bytes "
                    + "(%d records written, %d summarised)%n", grown, refused.size(), suppressed(summary));

            assertThat(grown).as("audit growth in bytes").isLessThan(2 * MIB);
            assertThat(refused.size()).as("records written: the burst").isBetween(1, 40);
            assertThat(refused).allSatisfy(r -> {
                assertThat((String) detail(r, "to")).hasSizeLessThan(300).endsWith("…[cut 899744 chars]");
                assertThat((String) detail(r, "reason")).hasSizeLessThan(2100);
            });
            assertThat(summary).isNotEmpty().allSatisfy(r -> {
                assertThat(detail(r, "kind")).isEqualTo("message:failed");
                assertThat((String) detail(r, "message")).contains("refusals of kind message:failed suppressed in the last");
            });
            assertThat(refused.size() + suppressed(summary)).as("written + summarised = all").isEqualTo(200);

            List<Map<String, Object>> alerts = api().get("/api/v1/alerts").then().statusCode(200).extract().jsonPath()
                    .getList("findAll { it.pluginId == '" + id + "' }");
            assertThat(alerts).singleElement().satisfies(a -> {
                assertThat(a.get("type")).isEqualTo("refusals");
                assertThat(a.get("severity")).isEqualTo("warning");
            });
            api().get("/api/v1/audit/verify").then().statusCode(200).body("valid", is(true));
        } finally {
            uninstallQuietly(id);
        }
    }

    @Test
    void aThousandUnauthenticatedPostsFromOneAddressGiveABoundedNumberOfRecords() throws InterruptedException {
        Instant start = Instant.now();
        long t0 = System.nanoTime();
        String longPath = "/api/v1/plugins/" + "x".repeat(3000) + "/activate";
        for (int i = 0; i < 1000; i++) {
            RestAssured.given().header("Authorization", "Bearer not-the-token")
                    .post(i % 2 == 0 ? "/api/v1/plugins/aud-unauth/activate" : longPath).then().statusCode(401);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        List<Map<String, Object>> written = records("type=operator&since=" + start).stream()
                .filter(r -> "unauthenticated".equals(r.get("actor"))).toList();
        List<Map<String, Object>> summary = summaries("since=" + start, 1000 - written.size()).stream()
                .filter(r -> "remote:127.0.0.1".equals(detail(r, "source"))).toList();
        System.out.printf("1000 unauthenticated POSTs in %.1f s: %d records written, %d summarised in %d records%n",
                seconds, written.size(), suppressed(summary), summary.size());

        double rate = ConfigProvider.getConfig().getValue("logomesh.audit.refusal-rate", Double.class);
        int burst = ConfigProvider.getConfig().getValue("logomesh.audit.refusal-burst", Integer.class);
        assertThat(written.size()).as("burst + rate x elapsed").isLessThanOrEqualTo((int) (burst + rate * (seconds + 1)));
        assertThat(written).allSatisfy(r -> {
            assertThat(detail(r, "remote")).isEqualTo("127.0.0.1");
            assertThat((String) detail(r, "path")).hasSizeLessThan(300);
        });
        assertThat(written.size() + suppressed(summary)).isEqualTo(1000);
    }
}
