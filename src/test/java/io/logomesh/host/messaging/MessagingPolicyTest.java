package io.logomesh.host.messaging;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.logomesh.host.manifest.ManifestParser;
import io.logomesh.host.manifest.PluginManifest;
import org.junit.jupiter.api.Test;

import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

class MessagingPolicyTest {

    private static final ManifestParser PARSER = new ManifestParser();

    private static PluginManifest manifest(String id, Consumer<ObjectNode> change) {
        ObjectNode m;
        try (var in = MessagingPolicyTest.class.getResourceAsStream("/manifests/minimal.json")) {
            m = (ObjectNode) new com.fasterxml.jackson.databind.ObjectMapper().readTree(in);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        m.put("id", id);
        change.accept(m);
        return PARSER.parse(m);
    }

    @Test
    void shouldRefuseATargetTheSenderDoesNotDeclare() {
        PluginManifest sender = manifest("sender", m -> { });
        PluginManifest target = manifest("target", m -> { });
        assertThat(MessagingPolicy.refusal(sender, sender::hasPermission, target))
                .hasValueSatisfying(why -> assertThat(why).contains("messaging:target"));
    }

    @Test
    void shouldAllowATargetDeclaredByPermissionOrDependency() {
        PluginManifest target = manifest("target", m -> { });
        PluginManifest byPermission = manifest("sender", m -> m.putArray("permissions").add("messaging:target"));
        PluginManifest byDependency = manifest("sender", m -> m.putArray("dependencies").addObject()
                .put("id", "target").put("version", "^1.0.0"));
        assertThat(MessagingPolicy.refusal(byPermission, byPermission::hasPermission, target)).isEmpty();
        assertThat(MessagingPolicy.refusal(byDependency, byDependency::hasPermission, target)).isEmpty();
    }

    @Test
    void shouldCountARunTimeGrant() {
        PluginManifest sender = manifest("sender", m -> { });
        PluginManifest target = manifest("target", m -> { });
        assertThat(MessagingPolicy.refusal(sender, "messaging:target"::equals, target)).isEmpty();
    }

    @Test
    void shouldLetTheReceiverRestrictItsSenders() {
        PluginManifest sender = manifest("sender", m -> m.putArray("permissions").add("messaging:target"));
        PluginManifest closed = manifest("target", m -> m.putArray("acceptMessagesFrom").add("someone-else"));
        PluginManifest open = manifest("target", m -> m.putArray("acceptMessagesFrom").add("sender"));
        assertThat(MessagingPolicy.refusal(sender, sender::hasPermission, closed))
                .hasValueSatisfying(why -> assertThat(why).contains("acceptMessagesFrom"));
        assertThat(MessagingPolicy.refusal(sender, sender::hasPermission, open)).isEmpty();
    }
}
