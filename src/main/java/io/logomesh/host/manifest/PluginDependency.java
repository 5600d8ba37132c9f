package io.logomesh.host.manifest;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Objects;

/**
 * Another plugin this plugin needs. Serialized like the manifest entry:
 * {@code {"id": "other-plugin", "version": "^1.2.0"}}.
 *
 * @param id    the other plugin's id
 * @param range the versions of it that will do
 */
public record PluginDependency(String id, @JsonProperty("version") SemVerRange range) {

    public PluginDependency {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(range, "range");
    }

    /** Whether the given installed version of {@link #id()} satisfies this dependency. */
    public boolean isSatisfiedBy(SemVer version) {
        return range.matches(version);
    }
}
