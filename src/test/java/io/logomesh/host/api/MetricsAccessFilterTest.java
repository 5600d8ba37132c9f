package io.logomesh.host.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.logomesh.host.config.DataFolder;
import io.logomesh.host.config.HostConfig;
import io.logomesh.host.support.TestDataFolders;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code /q/metrics} needs the bearer token unless {@code logomesh.api.metrics-open=true}; other paths pass. */
class MetricsAccessFilterTest {

    @TempDir
    Path dir;

    private MetricsAccessFilter filter(Map<String, String> extra) throws Exception {
        Map<String, String> values = new HashMap<>(extra);
        values.put("logomesh.api-token", "s3cret");
        HostConfig config = TestDataFolders.config(dir, values);
        return new MetricsAccessFilter(new ApiToken(config, new DataFolder(config)), config, new ObjectMapper());
    }

    @Test
    void shouldAskForTheTokenOnMetricsByDefault() throws Exception {
        MetricsAccessFilter closed = filter(Map.of());

        for (String path : new String[] {"/q/metrics", "/q/metrics/", "//q//metrics", "/Q/Metrics", "/q/metrics/jvm"}) {
            assertThat(closed.allowed(path, null)).as(path).isFalse();
            assertThat(closed.allowed(path, "Bearer wrong")).as(path).isFalse();
            assertThat(closed.allowed(path, "Bearer s3cret")).as(path).isTrue();
            assertThat(closed.allowed(path, "bearer s3cret")).as(path).isTrue();
        }
        assertThat(closed.allowed("/q/health", null)).isTrue();
        assertThat(closed.allowed("/", null)).as("the dashboard").isTrue();
        assertThat(closed.allowed("/q/metricsx", null)).as("another path; its own routing answers").isTrue();
    }

    @Test
    void shouldServeMetricsWithoutTheTokenWhenTheOperatorOpensThem() throws Exception {
        MetricsAccessFilter open = filter(Map.of("logomesh.api.metrics-open", "true"));

        assertThat(open.allowed("/q/metrics", null)).isTrue();
        assertThat(open.allowed("/q/metrics", "Bearer wrong")).isTrue();
    }
}
