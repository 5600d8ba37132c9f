package io.logomesh.host.container.docker;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.logomesh.host.support.TestDataFolders;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code logomesh.docker.seccomp-profile}: an operator's own profile, and what is not a profile. */
class SeccompProfileTest {

    @TempDir
    Path temp;

    private SeccompProfile profileFrom(Path file) {
        return new SeccompProfile(TestDataFolders.config(temp.resolve("data"),
                Map.of("logomesh.docker.seccomp-profile", file.toString())), new ObjectMapper());
    }

    @Test
    void shouldUseTheOperatorsProfileAsOneLine() throws IOException {
        Path file = Files.writeString(temp.resolve("p.json"), """
                {
                  "defaultAction": "SCMP_ACT_ERRNO",
                  "syscalls": [ { "names": ["read", "write"], "action": "SCMP_ACT_ALLOW" } ]
                }
                """);

        SeccompProfile profile = profileFrom(file);

        assertThat(profile.securityOpt()).isEqualTo("seccomp={\"defaultAction\":\"SCMP_ACT_ERRNO\","
                + "\"syscalls\":[{\"names\":[\"read\",\"write\"],\"action\":\"SCMP_ACT_ALLOW\"}]}");
        assertThat(profile.allowsWithoutCapabilities("read")).isTrue();
        assertThat(profile.allowsWithoutCapabilities("ptrace")).isFalse();
    }

    @Test
    void shouldStopTheHostOnSomethingThatIsNotAProfile() throws IOException {
        Path notJson = Files.writeString(temp.resolve("a.json"), "seccomp: yes");
        Path noRules = Files.writeString(temp.resolve("b.json"), "{\"defaultAction\": \"SCMP_ACT_ERRNO\"}");

        assertThatThrownBy(() -> profileFrom(notJson)).isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("the seccomp profile is not JSON");
        assertThatThrownBy(() -> profileFrom(noRules)).isInstanceOf(IllegalStateException.class)
                .hasMessage("the seccomp profile needs a defaultAction and a syscalls list");
        assertThatThrownBy(() -> profileFrom(temp.resolve("missing.json"))).isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("missing.json");
    }
}
