package io.logomesh.host.action;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** An action the caller did not name gets a version-4 UUID of its own. */
class ActionIdTest {

    @Test
    void shouldGiveEveryUnnamedActionADistinctVersion4Uuid() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 100_000; i++) {
            String id = ActionService.newActionId();
            UUID parsed = UUID.fromString(id);
            assertThat(parsed.version()).isEqualTo(4);
            assertThat(parsed.variant()).isEqualTo(2);
            assertThat(parsed.toString()).isEqualTo(id);
            assertThat(seen.add(id)).as("duplicate %s", id).isTrue();
        }
        assertThat(ActionService.request("echo", null, null).id()).matches("[0-9a-f-]{36}");
        assertThat(ActionService.request("echo", null, "mine").id()).isEqualTo("mine");
    }
}
