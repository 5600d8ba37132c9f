package io.logomesh.host;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** What the control plane passes on of a node's refusal: the engine's sentence, no internals. */
class EngineReasonTest {

    @Test
    void shouldKeepTheEnginesSentenceOutOfItsJsonAnswer() {
        assertThat(EngineReason.of("the engine refused the new limits of abc: Status 500: {\"message\":\"Cannot update "
                + "container abc: Memory limit should be larger than already set memory limit\"}\n"))
                .isEqualTo("the engine refused the new limits of abc: Cannot update container abc: Memory limit "
                        + "should be larger than already set memory limit");
    }

    @Test
    void shouldDropClassNamesJsonBlobsAndControlCharacters() {
        String reason = EngineReason.of("com.github.dockerjava.api.exception.InternalServerErrorException: boom "
                + "{\"stack\":[1,2]}\u001b[31m");

        assertThat(reason).isEqualTo("boom").doesNotContain("Exception", "{", "\u001b");
        assertThat(EngineReason.of("Status 502: {not json")).isEqualTo("the engine refused");
        assertThat(EngineReason.of(null)).isEqualTo("refused");
        assertThat(EngineReason.of("x".repeat(5000))).hasSize(EngineReason.MAX_CHARS + 1);
        assertThat(EngineReason.of("memory below what is in use")).isEqualTo("memory below what is in use");
    }
}
