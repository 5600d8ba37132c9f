package io.logomesh.host.container;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LogTailTest {

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void shouldKeepShortOutputAsIs() {
        LogTail tail = new LogTail(10, 100, 10_000);
        tail.acceptRecord(bytes("one\n"));
        tail.acceptRecord(bytes("two\n"));
        assertThat(tail.text()).isEqualTo("one\ntwo\n");
    }

    @Test
    void shouldKeepTheNewestLinesAndMarkTheCut() {
        LogTail tail = new LogTail(3, 100, 10_000);
        for (int i = 0; i < 10; i++) {
            tail.acceptRecord(bytes("line " + i + "\n"));
        }
        assertThat(tail.text()).isEqualTo(LogTail.MARKER
                + "at least 7 older lines not shown (at most 3 lines and 10000 bytes per answer)\nline 7\nline 8\nline 9\n");
    }

    @Test
    void shouldCutALongLineAndSayHowMuchWasDropped() {
        LogTail tail = new LogTail(10, 5, 10_000);
        tail.acceptRecord(bytes("abcdefghij\n"));
        assertThat(tail.text()).isEqualTo("abcde\n" + LogTail.MARKER
                + "5 more bytes of that line (lines are capped at 5 bytes)\n");
    }

    @Test
    void shouldStayBoundedWhateverIsFed() {
        LogTail tail = new LogTail(1000, 4096, 64 * 1024);
        byte[] chunk = new byte[1024 * 1024];
        java.util.Arrays.fill(chunk, (byte) 'y');
        for (int i = 0; i < 100; i++) { // 100 MiB without a newline, then lines
            tail.accept(chunk, 0, chunk.length);
        }
        for (int i = 0; i < 100_000; i++) {
            tail.acceptRecord(bytes("x".repeat(99) + "\n"));
        }
        String text = tail.text();
        assertThat(text.length()).isLessThanOrEqualTo(64 * 1024 + 200);
        assertThat(text).startsWith(LogTail.MARKER).endsWith("x".repeat(99) + "\n");
    }

    @Test
    void shouldRefuseNonPositiveCaps() {
        assertThatThrownBy(() -> new LogTail(0, 1, 1)).isInstanceOf(IllegalArgumentException.class);
    }
}
