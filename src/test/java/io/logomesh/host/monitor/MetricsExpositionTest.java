package io.logomesh.host.monitor;

import io.logomesh.host.support.HostTestResource;
import io.logomesh.host.support.TestBundle;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import static io.logomesh.host.support.Api.action;
import static io.logomesh.host.support.Api.api;
import static io.logomesh.host.support.Api.installAndActivate;
import static io.logomesh.host.support.Api.uninstallQuietly;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code /q/metrics} read by Prometheus' own linter: {@code promtool check metrics} (Debian's {@code prometheus}
 * package, installed by {@code deploy/ensure-tool.sh} when missing) must find nothing to say about the whole
 * exposition, the JVM's and HTTP server's series included, while a real plugin has been activated and has run
 * actions; and the host's series carry base units and histogram buckets.
 */
@QuarkusTest
@WithTestResource(HostTestResource.class)
class MetricsExpositionTest {

    @Test
    void shouldPassPromtoolWithBaseUnitsAndDurationHistograms() throws Exception {
        String id = installAndActivate(TestBundle.fixture("echo-node", "metrics-lint"));
        try {
            action(id, "{\"type\":\"echo\",\"payload\":1}").statusCode(200);
            action(id, "{\"type\":\"echo\",\"payload\":2}").statusCode(200);
            // the Prometheus text format (promtool's); a bare */* would get OpenMetrics
            String metrics = api().accept("text/plain; version=0.0.4").get("/q/metrics").then().statusCode(200).extract().asString();
            java.nio.file.Files.createDirectories(java.nio.file.Path.of("target"));
            java.nio.file.Files.writeString(java.nio.file.Path.of("target/metrics-exposition.txt"), metrics);
            String plugin = "plugin=\"" + id + "\"";
            assertThat(metrics.replace(",}", "}")) // the 0.0.4 writer ends label sets with a comma
                    .contains("# TYPE logomesh_plugin_action_duration_seconds histogram")
                    .contains("logomesh_plugin_action_duration_seconds_bucket{" + plugin + ",le=\"0.005\"}")
                    .contains("logomesh_plugin_action_duration_seconds_count{" + plugin + "} 2.0")
                    .contains("# TYPE logomesh_plugin_activation_duration_seconds histogram")
                    .contains("logomesh_plugin_activation_duration_seconds_bucket{outcome=\"ok\"," + plugin
                            + ",le=\"+Inf\"} 1.0")
                    .contains("logomesh_plugin_cpu_ratio{" + plugin + "}")
                    .contains("logomesh_plugin_granted_memory_bytes{" + plugin + "} 0.0")
                    .contains("logomesh_plugin_granted_cpu_ratio{" + plugin + "} 0.0")
                    .doesNotContain("logomesh_plugin_cpu_percent")
                    .doesNotContain("logomesh_plugin_grants{");
            Promtool.Result lint = Promtool.checkMetrics(metrics);
            assertThat(lint.output()).as("promtool check metrics on /q/metrics").isBlank();
            assertThat(lint.exitCode()).as("promtool's exit code (output: %s)", lint.output()).isZero();
        } finally {
            uninstallQuietly(id);
        }
    }

    @Test
    void shouldMakePromtoolFailOnAMisnamedSeries() throws Exception {
        // the check can fail: a counter without _total and a unit that is not a base unit
        String bad = """
                # HELP logomesh_bad_duration_milliseconds a bad name
                # TYPE logomesh_bad_duration_milliseconds counter
                logomesh_bad_duration_milliseconds 1.0
                """;
        Promtool.Result lint = Promtool.checkMetrics(bad);
        assertThat(lint.exitCode()).isNotZero();
        assertThat(lint.output()).contains("logomesh_bad_duration_milliseconds");
    }

    /** Runs {@code promtool check metrics} with the exposition on stdin. */
    static final class Promtool {

        record Result(int exitCode, String output) {
        }

        static Result checkMetrics(String exposition) throws IOException, InterruptedException {
            Process ensure = new ProcessBuilder("deploy/ensure-tool.sh", "promtool", "prometheus", "promtool")
                    .redirectErrorStream(true).start();
            String said = new String(ensure.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(ensure.waitFor(10, TimeUnit.MINUTES)).isTrue();
            assertThat(ensure.exitValue()).as("deploy/ensure-tool.sh promtool: %s", said).isZero();
            Process p = new ProcessBuilder("promtool", "check", "metrics").redirectErrorStream(true).start();
            try (var in = p.getOutputStream()) {
                in.write(exposition.getBytes(StandardCharsets.UTF_8));
            }
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(2, TimeUnit.MINUTES)).isTrue();
            return new Result(p.exitValue(), output);
        }
    }
}
