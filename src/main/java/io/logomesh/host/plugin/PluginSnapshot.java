package io.logomesh.host.plugin;

import org.eclipse.microprofile.openapi.annotations.media.Schema;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;

import io.logomesh.host.plugin.restart.RestartStatus;

import java.time.Instant;

/**
 * What operators see of a plugin at one moment.
 *
 * @param id            plugin id
 * @param name          display name
 * @param version       plugin version
 * @param runtime       nodejs, python or webassembly
 * @param state         lifecycle state (upper case)
 * @param failureReason why it FAILED or is RESTARTING (e.g. {@code oom}, {@code timeout}, {@code exited:1}), else null
 * @param containerId   the running container, else null
 * @param uid           the uid its container runs as
 * @param manifest      the manifest as installed
 * @param installedAt   install time
 * @param updatedAt     last state change
 * @param activatedAt   when it last became ACTIVE, else null
 * @param restart       its restart policy, restarts counted, next try and last attempts
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record PluginSnapshot(String id, String name, String version, String runtime, PluginState state,
                             @Schema(nullable = true) String failureReason,
                             @Schema(nullable = true) String containerId, int uid, JsonNode manifest,
                             Instant installedAt, Instant updatedAt, @Schema(nullable = true) Instant activatedAt,
                             RestartStatus restart) {
}
