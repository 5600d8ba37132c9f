package io.logomesh.host.support;

import io.logomesh.host.config.DataFolder;
import io.logomesh.host.config.HostConfig;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** The real {@link HostConfig} mapping (defaults included) and a {@link DataFolder}, in a test's folder, without Quarkus. */
public final class TestDataFolders {

    private TestDataFolders() {
    }

    public static DataFolder at(Path dir) {
        return new DataFolder(config(dir, Optional.empty()));
    }

    /** The host's configuration with its data folder at {@code dir} and, optionally, a fixed API token. */
    public static HostConfig config(Path dir, Optional<String> apiToken) {
        Map<String, String> values = new HashMap<>();
        apiToken.ifPresent(token -> values.put("logomesh.api-token", token));
        return config(dir, values);
    }

    /** The host's configuration with its data folder at {@code dir}, plus {@code values} over the defaults. */
    public static HostConfig config(Path dir, Map<String, String> values) {
        return new SmallRyeConfigBuilder().withMapping(HostConfig.class)
                .withConverter(Duration.class, 100, new DurationConverter())
                .withDefaultValue("logomesh.data-dir", dir.toString())
                .withSources(new PropertiesConfigSource(values, "test", 500))
                .build()
                .getConfigMapping(HostConfig.class);
    }
}
