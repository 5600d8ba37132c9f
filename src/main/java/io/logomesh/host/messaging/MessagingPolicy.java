package io.logomesh.host.messaging;

import com.fasterxml.jackson.databind.JsonNode;
import io.logomesh.host.manifest.PluginDependency;
import io.logomesh.host.manifest.PluginManifest;

import java.util.Optional;
import java.util.function.Predicate;

/**
 * Who may message whom. A sender may message a target only if it declares it: a
 * {@code dependencies} entry or the permission {@code messaging:<target-id>} (declared, or granted
 * at run time). A target whose manifest has {@code acceptMessagesFrom} takes messages only from the
 * ids listed there (absent: from every sender that declares it). Pure logic, no state.
 */
public final class MessagingPolicy {

    private MessagingPolicy() {
    }

    /**
     * Why {@code sender} may not message {@code target}; empty when it may.
     *
     * @param holds whether the sender holds a permission (declared or granted)
     */
    public static Optional<String> refusal(PluginManifest sender, Predicate<String> holds, PluginManifest target) {
        String targetId = target.id();
        boolean declared = sender.dependencies().stream().map(PluginDependency::id).anyMatch(targetId::equals)
                || holds.test("messaging:" + targetId);
        if (!declared) {
            return Optional.of("plugin " + sender.id() + " does not declare " + targetId
                    + " (needs a dependency on it or the permission messaging:" + targetId + ")");
        }
        JsonNode accepted = acceptMessagesFrom(target);
        if (accepted.isArray()) {
            for (JsonNode id : accepted) {
                if (id.asText().equals(sender.id())) {
                    return Optional.empty();
                }
            }
            return Optional.of("plugin " + targetId + " accepts messages only from its acceptMessagesFrom list, "
                    + "which does not name " + sender.id());
        }
        return Optional.empty();
    }

    /** The receiver's {@code acceptMessagesFrom} array, or a missing node when it accepts every declared sender. */
    public static JsonNode acceptMessagesFrom(PluginManifest manifest) {
        return manifest.raw() == null ? com.fasterxml.jackson.databind.node.MissingNode.getInstance()
                : manifest.raw().path("acceptMessagesFrom");
    }
}
