package io.logomesh.host.container;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * What the container engine says about itself; every field but {@code available} is null
 * when the engine does not answer.
 *
 * @param available     whether the engine answered
 * @param version       engine version (e.g. {@code 26.1.5})
 * @param apiVersion    the engine's API version (e.g. {@code 1.45})
 * @param os            the engine host's operating system
 * @param cgroupVersion {@code 1} or {@code 2}
 * @param message       why it is not available, else null
 */
public record EngineInfo(boolean available, @Schema(nullable = true) String version,
                         @Schema(nullable = true) String apiVersion, @Schema(nullable = true) String os,
                         @Schema(nullable = true) String cgroupVersion, @Schema(nullable = true) String message) {

    /** The engine did not answer, for {@code reason}. */
    public static EngineInfo unavailable(String reason) {
        return new EngineInfo(false, null, null, null, null, reason);
    }
}
